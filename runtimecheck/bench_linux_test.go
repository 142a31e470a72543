package runtimecheck

import (
	"os/exec"
	"testing"
)

// BenchmarkCheck is the cost of Check on a test that does nothing: a
// baseline, and one look in the cleanup that finds nothing.
func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		rec := newRecTB(b, "BenchmarkCheck")
		Check(rec)
		rec.finish()
		if len(rec.errs) > 0 {
			b.Fatal(rec.errs)
		}
	}
}

// BenchmarkSample is one look at the process: /proc/self/fd and the
// children scan of /proc/*/stat.
func BenchmarkSample(b *testing.B) {
	for b.Loop() {
		if _, err := defaultSystem.read(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckWithChild is Check in a process that has a child: each
// look then also scans every process's /proc/PID/stat for children.
func BenchmarkCheckWithChild(b *testing.B) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	for b.Loop() {
		rec := newRecTB(b, "BenchmarkCheckWithChild")
		Check(rec)
		rec.finish()
		if len(rec.errs) > 0 {
			b.Fatal(rec.errs)
		}
	}
}
