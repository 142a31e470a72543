// Package regress holds false positives found in real code.
package regress

import (
	"bufio"
	"io"
	"os"
	"os/signal"
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
