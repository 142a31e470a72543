// Package regress holds code that pipedrain once reported wrongly, each case
// named after where it was found.
package regress

import (
	"compress/flate"
	"io"
	"os/exec"
	"testing"
)

// os/exec TestPipeLookPathLeak: pipes taken only to check that a failing
// Run releases them.
func pipesForSideEffect(t *testing.T) {
	cmd := exec.Command("something-that-does-not-exist-executable")
	cmd.StdoutPipe()
	cmd.StderrPipe()
	cmd.StdinPipe()
	if err := cmd.Run(); err == nil {
		t.Fatal("unexpected success")
	}
}

// compress/flate Example_synchronization: the reader reads a self-delimiting
// stream and never waits for the pipe's EOF.
func selfDelimiting(msgs []string) {
	rp, wp := io.Pipe()
	go func() {
		zw, _ := flate.NewWriter(wp, flate.BestSpeed)
		for _, m := range msgs {
			zw.Write([]byte(m))
			zw.Flush()
		}
		zw.Close()
	}()
	zr := flate.NewReader(rp)
	b := make([]byte, 256)
	for {
		if _, err := io.ReadFull(zr, b[:1]); err != nil {
			break
		}
	}
}

// io TestPipeCloseError: the read side closes the pipe; nobody waits for EOF.
func readerClosed() {
	r, w := io.Pipe()
	r.CloseWithError(io.ErrUnexpectedEOF)
	w.Write(nil)
}

// io TestPipeConcurrent: partial reads of a known length.
func partialReads(n int) {
	r, w := io.Pipe()
	go func() { w.Write(make([]byte, n)) }()
	r.Read(make([]byte, n))
}
