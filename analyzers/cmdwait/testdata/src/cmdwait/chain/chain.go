// Package chain checks that the facts of helpers calling helpers reach their
// fixed point however long the chain, whatever order the helpers are
// declared in, and through helpers that call each other. Each helper here
// is declared before the one it calls, the order in which every round of
// the computation learns one more link: with the four rounds the facts were
// once limited to, the first helpers of a chain of six were left unknown
// (a hand-off), and the leak in leaksThroughChain went unreported.
package chain

import (
	"log"
	"os/exec"
)

// describe1 to describe6 only look at the command, through five calls.

func describe1(cmd *exec.Cmd) { describe2(cmd) }                     // want describe1:`params\(borrows\[0\]\)`
func describe2(cmd *exec.Cmd) { describe3(cmd) }                     // want describe2:`params\(borrows\[0\]\)`
func describe3(cmd *exec.Cmd) { describe4(cmd) }                     // want describe3:`params\(borrows\[0\]\)`
func describe4(cmd *exec.Cmd) { describe5(cmd) }                     // want describe4:`params\(borrows\[0\]\)`
func describe5(cmd *exec.Cmd) { describe6(cmd) }                     // want describe5:`params\(borrows\[0\]\)`
func describe6(cmd *exec.Cmd) { log.Printf("running %s", cmd.Path) } // want describe6:`params\(borrows\[0\]\)`

// leaksThroughChain starts a child, shows it, and never waits: describe1
// only borrows the command, so it is still this function's to reap.
func leaksThroughChain() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at chain.go:32`
		return err
	}
	describe1(cmd)
	return nil
}

// reap1 to reap6 wait for the command, through five calls.

func reap1(cmd *exec.Cmd) error { return reap2(cmd) } // want reap1:`params\(waits\[0\] borrows\[0\]\)`
func reap2(cmd *exec.Cmd) error { return reap3(cmd) } // want reap2:`params\(waits\[0\] borrows\[0\]\)`
func reap3(cmd *exec.Cmd) error { return reap4(cmd) } // want reap3:`params\(waits\[0\] borrows\[0\]\)`
func reap4(cmd *exec.Cmd) error { return reap5(cmd) } // want reap4:`params\(waits\[0\] borrows\[0\]\)`
func reap5(cmd *exec.Cmd) error { return reap6(cmd) } // want reap5:`params\(waits\[0\] borrows\[0\]\)`
func reap6(cmd *exec.Cmd) error { return cmd.Wait() } // want reap6:`params\(waits\[0\] borrows\[0\]\)`

func reapedThroughChain() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return reap1(cmd)
}

// retry1 to retry5 call each other in a cycle through the command
// parameter; retry5 also waits, so every one of them may wait. The wait
// goes round the cycle once before retry5 learns that its call of retry1
// is not a hand-off, seven rounds in all.

func retry1(cmd *exec.Cmd, n int) error { return retry2(cmd, n) } // want retry1:`params\(waits\[0\] borrows\[0\]\)`
func retry2(cmd *exec.Cmd, n int) error { return retry3(cmd, n) } // want retry2:`params\(waits\[0\] borrows\[0\]\)`
func retry3(cmd *exec.Cmd, n int) error { return retry4(cmd, n) } // want retry3:`params\(waits\[0\] borrows\[0\]\)`
func retry4(cmd *exec.Cmd, n int) error { return retry5(cmd, n) } // want retry4:`params\(waits\[0\] borrows\[0\]\)`

func retry5(cmd *exec.Cmd, n int) error { // want retry5:`params\(waits\[0\] borrows\[0\]\)`
	if n == 0 {
		return cmd.Wait()
	}
	return retry1(cmd, n-1)
}

func reapedThroughCycle() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return retry1(cmd, 3)
}

// pass1 and pass2 hand the command to each other and do nothing else with
// it. Nothing says what becomes of it: they get no facts, and a command
// given to them is handed off (the computation starts from "unknown", and
// a cycle with no use of its own learns nothing).

func pass1(cmd *exec.Cmd, n int) {
	if n > 0 {
		pass2(cmd, n-1)
	}
}

func pass2(cmd *exec.Cmd, n int) { pass1(cmd, n) }

func handedToCycle() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	pass1(cmd, 2)
	return nil
}
