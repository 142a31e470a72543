package runtimecheck

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseExecGoroutines(t *testing.T) {
	dump := `goroutine 1 [running]:
main.main()
	/x/main.go:10 +0x1d

goroutine 42 [select, 2 minutes]:
os/exec.(*Cmd).watchCtx(0xc000134000, 0xc000120060)
	/usr/local/go/src/os/exec/exec.go:797 +0x8f
created by os/exec.(*Cmd).Start in goroutine 7
	/usr/local/go/src/os/exec/exec.go:783 +0x9a5

goroutine 43 [IO wait]:
internal/poll.runtime_pollWait(0x7f, 0x72)
	/usr/local/go/src/runtime/netpoll.go:351 +0x85
io.Copy(...)
	/usr/local/go/src/io/io.go:388
os/exec.(*Cmd).writerDescriptor.func1()
	/usr/local/go/src/os/exec/exec.go:580 +0x3a
os/exec.(*Cmd).Start.func2(0xc000122000?)
	/usr/local/go/src/os/exec/exec.go:757 +0x2c
created by os/exec.(*Cmd).Start in goroutine 7
	/usr/local/go/src/os/exec/exec.go:756 +0x9de

goroutine 44 [chan receive]:
example.com/x.worker()
	/x/x.go:5 +0x1d
created by example.com/x.Start in goroutine 7
	/x/x.go:3 +0x1d
`
	got := parseExecGoroutines([]byte(dump))
	want := []goroutine{
		{id: 42, state: "select", fn: "os/exec.(*Cmd).watchCtx"},
		{id: 43, state: "IO wait", fn: "os/exec.(*Cmd).writerDescriptor.func1"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("goroutine %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if d := got[1].describe(); d != "goroutine 43 [IO wait] (*exec.Cmd).writerDescriptor.func1: copies the command's output to its Writer" {
		t.Errorf("describe = %q", d)
	}
}

// TestProcessWaitLeavesGoroutines: a command reaped with Process.Wait whose
// output a background job keeps open leaves its stdout copier, which a
// snapshot reports; user goroutines never count.
func TestProcessWaitLeavesGoroutines(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	s, err := TakeSnapshot(MaxWait(200*time.Millisecond), IgnoreFDKind(KindPipe))
	if err != nil {
		t.Skip(err)
	}
	block := make(chan struct{})
	defer close(block)
	go func() { <-block }() // the test's own goroutine: never a leak

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 1 & exit 0")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Process.Wait(); err != nil {
		t.Fatal(err)
	}
	leaks, err := s.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	var descs []string
	for _, l := range leaks {
		if l.Kind == KindGoroutine {
			descs = append(descs, l.Desc)
		}
	}
	if len(descs) != 2 || !strings.Contains(strings.Join(descs, "\n"), "writerDescriptor") || !strings.Contains(strings.Join(descs, "\n"), "watchCtx") {
		t.Errorf("goroutine leaks %q; want the stdout copier and the context watcher", descs)
	}
	cancel()
	// After the cancel the watcher still waits for a Wait; Cmd.Wait ends
	// both, and then nothing is left.
	cmd.Wait()
	s2 := &Snapshot{f: s.f}
	leaks, err = s2.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leaks {
		if l.Kind == KindGoroutine {
			t.Errorf("after Cmd.Wait: %v", l)
		}
	}
}
