// Package regress holds false positives found in real code.
package regress

import (
	"bufio"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/trace"

	"shutdown/helpers"
	"syscall"
)

type converter struct{ w io.Writer }

func (c *converter) Write(p []byte) (int, error) { return c.w.Write(p) }
func (c *converter) Close() error                { return nil }

// cmd/test2json: the converter is closed by hand before the exit.
func closedByHand(failed bool) {
	c := &converter{os.Stdout}
	defer c.Close()
	if failed {
		c.Close()
		os.Exit(1)
	}
}

type context struct{ Bso *bufio.Writer }

// The same through a field (cmd/asm's ctxt.Bso).
func flushedByHand(ctxt *context, failed bool) {
	ctxt.Bso = bufio.NewWriter(os.Stdout)
	defer ctxt.Bso.Flush()
	if failed {
		ctxt.Bso.Flush()
		os.Exit(1)
	}
}

// os/exec's cmdSignalTest: signal.Reset ends the delivery before the
// close.
func resetBeforeClose() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGCHLD)
	defer func() {
		signal.Reset(syscall.SIGCHLD)
		close(ch)
	}()
}

// golangci/misspell: the cleanup a setup returns is a file's Close or a
// no-op, both harmless at exit.
func newLogger(path string) (w io.Writer, cleanup func() error) {
	if path == "" {
		return os.Stdout, func() error { return nil }
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	return f, f.Close
}

func harmlessCleanup(path string) {
	var cleanup func() error
	_, cleanup = newLogger(path)
	defer func() { _ = cleanup() }()
	if path == "-" {
		log.Fatal("no")
	}
}

// The same shape with a flush in what the setup returns is reported.
func newBuffered() (w *bufio.Writer, flush func() error) {
	b := bufio.NewWriter(os.Stdout)
	return b, b.Flush
}

func flushReturned(bad bool) {
	_, flush := newBuffered()
	defer flush()
	if bad {
		log.Fatal("bad") // want `log.Fatal exits without running the deferred flush at regress.go:\d+: what it would flush or write out is lost`
	}
}

// go.opencensus.io's examples: a Stop of another package is not known to
// write anything out.
func otherStop(r *helpers.Reader, bad bool) {
	defer r.Stop()
	if bad {
		log.Fatal("bad")
	}
}

// A Stop of the package is looked into: this one flushes.
type batcher struct{ w *bufio.Writer }

func (b *batcher) Stop() { b.w.Flush() }

func ownStop(bad bool) {
	b := &batcher{bufio.NewWriter(os.Stdout)}
	defer b.Stop()
	if bad {
		log.Fatal("bad") // want `log.Fatal exits without running the deferred b.Stop \(which calls b.w.Flush\) at regress.go:\d+: what it would flush or write out is lost`
	}
}

// The SSA is built only for functions with a defer that may do lifecycle
// work (mayBeLifecycle): one found two package functions down, and one
// through a generic function's instance, are still seen; a defer of
// bookkeeping alone is not one (cmd/compile: base.Fatalf with a
// f.retSparseSet deferred).
type session struct{ w *bufio.Writer }

func (s *session) finish()  { s.release() }
func (s *session) release() { s.w.Flush() }

func deepCleanup(bad bool) {
	s := &session{bufio.NewWriter(os.Stdout)}
	defer s.finish()
	if bad {
		log.Fatal("bad") // want `log.Fatal exits without running the deferred s.finish \(which calls s.w.Flush\) at regress.go:\d+: what it would flush or write out is lost`
	}
}

func flushAll[W interface{ Flush() error }](ws ...W) {
	for _, w := range ws {
		w.Flush()
	}
}

func genericCleanup(bad bool) {
	w := bufio.NewWriter(os.Stdout)
	defer flushAll[*bufio.Writer](w)
	if bad {
		log.Fatal("bad") // want `log.Fatal exits without running the deferred flushAll\[\*bufio.Writer\] at regress.go:\d+`
	}
}

type sparseSet struct{ n int }

func (s *sparseSet) ret() { s.n = 0 }

func bookkeeping(bad bool) {
	s := &sparseSet{}
	defer s.ret()
	if bad {
		log.Fatal("bad")
	}
}

// lifecycleAPI looks only at lifecycleName's names: runtime/trace's Stop
// is one of them.
func traceStop(bad bool) {
	trace.Start(os.Stderr)
	defer trace.Stop()
	if bad {
		log.Fatal("bad") // want `log.Fatal exits without running the deferred trace.Stop at regress.go:\d+: the profile or trace is never written out`
	}
}
