// Package chain checks that the facts of helpers calling helpers reach their
// fixed point however long the chain, whatever order the helpers are
// declared in, and through helpers that call each other. Each helper here
// is declared before the one it calls, the order in which every round of
// the computation learns one more link: with the four rounds the facts were
// once limited to, the first helpers of a chain of six were left unknown
// (a hand-off), and the unread pipe in unreadThroughChain went unreported.
package chain

import (
	"io"
	"log"
	"os/exec"
)

// show1 to show6 only look at the reader, through five calls.

func show1(r io.Reader) { show2(r) }                    // want show1:`params\(borrows\[0\]\)`
func show2(r io.Reader) { show3(r) }                    // want show2:`params\(borrows\[0\]\)`
func show3(r io.Reader) { show4(r) }                    // want show3:`params\(borrows\[0\]\)`
func show4(r io.Reader) { show5(r) }                    // want show4:`params\(borrows\[0\]\)`
func show5(r io.Reader) { show6(r) }                    // want show5:`params\(borrows\[0\]\)`
func show6(r io.Reader) { log.Printf("reading %v", r) } // want show6:`params\(borrows\[0\]\)`

func unreadThroughChain() error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe() // want `stdout pipe of cmd is never read, closed or handed off`
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	show1(out)
	return cmd.Wait()
}

// drain1 to drain6 read the reader to EOF, through five calls.

func drain1(r io.Reader) error { return drain2(r) } // want drain1:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
func drain2(r io.Reader) error { return drain3(r) } // want drain2:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
func drain3(r io.Reader) error { return drain4(r) } // want drain3:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
func drain4(r io.Reader) error { return drain5(r) } // want drain4:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
func drain5(r io.Reader) error { return drain6(r) } // want drain5:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`

func drain6(r io.Reader) error { // want drain6:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
	_, err := io.Copy(io.Discard, r)
	return err
}

func drainedThroughChain() error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	derr := drain1(out)
	if err := cmd.Wait(); err != nil {
		return err
	}
	return derr
}

// close1 to close5 call each other in a cycle through the pipe end;
// close5 also closes it, so every one of them may close it.

func close1(w io.WriteCloser, n int) error { return close2(w, n) } // want close1:`params\(closes\[0\] borrows\[0\]\)`
func close2(w io.WriteCloser, n int) error { return close3(w, n) } // want close2:`params\(closes\[0\] borrows\[0\]\)`
func close3(w io.WriteCloser, n int) error { return close4(w, n) } // want close3:`params\(closes\[0\] borrows\[0\]\)`
func close4(w io.WriteCloser, n int) error { return close5(w, n) } // want close4:`params\(closes\[0\] borrows\[0\]\)`

func close5(w io.WriteCloser, n int) error { // want close5:`params\(closes\[0\] borrows\[0\]\)`
	if n == 0 {
		return w.Close()
	}
	return close1(w, n-1)
}

func closedThroughCycle() error {
	cmd := exec.Command("cat")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	cerr := close1(in, 2)
	if err := cmd.Wait(); err != nil {
		return err
	}
	return cerr
}
