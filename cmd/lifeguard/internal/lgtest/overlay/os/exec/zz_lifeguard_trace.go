//go:build ignore

// This file is added to package os/exec by the overlay of "lifeguard test"
// (github.com/lifeguard-go/lifeguard, cmd/lifeguard/internal/lgtest/overlay);
// it exists only in test builds made that way. The "//go:build ignore" line
// above is dropped when the overlay is written.
//
// (*Cmd).Start starts goroutines that only (*Cmd).Wait waits for: the
// copiers of Stdin, Stdout and Stderr when they are not *os.File, and the
// watcher of the command's context. A command reaped by
// cmd.Process.Wait, or never waited for, leaves them behind. The lines
// inserted into exec.go record, in package os's tables, the stack that
// started the command, for each of its goroutines while it runs:
//
//	(*Cmd).Start, after the start     lifeguardTraceCmdStarted
//	the copiers' goroutine            defer lifeguardTraceGoroutine(c)()
//	(*Cmd).watchCtx                   defer lifeguardTraceGoroutine(c)()
package exec

import (
	"os"
	"runtime"
	"unsafe"
)

func lifeguardTraceCmdStarted(c *Cmd) {
	n := len(c.goroutine)
	if (c.Cancel != nil || c.WaitDelay != 0) && c.ctx != nil && c.ctx.Done() != nil {
		n++ // watchCtx
	}
	// 0 Callers, 1 lifeguardTraceCallers, 2 LifeguardTraceCmdStarted,
	// 3 this function (skipped), 4 (*Cmd).Start.
	os.LifeguardTraceCmdStarted(uintptr(unsafe.Pointer(c)), n, 1)
}

// lifeguardTraceGoroutine says that the calling goroutine is one of c's;
// the function it returns, deferred, that it is done.
func lifeguardTraceGoroutine(c *Cmd) func() {
	id := lifeguardTraceGoid()
	os.LifeguardTraceGoroutineStart(uintptr(unsafe.Pointer(c)), id)
	return func() { os.LifeguardTraceGoroutineDone(id) }
}

// lifeguardTraceGoid is the calling goroutine's id, from the first line of
// its stack: "goroutine 42 [running]:".
func lifeguardTraceGoid() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	b := buf[:n]
	const prefix = "goroutine "
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		return 0
	}
	var id uint64
	for _, ch := range b[len(prefix):] {
		if ch < '0' || ch > '9' {
			break
		}
		id = id*10 + uint64(ch-'0')
	}
	return id
}
