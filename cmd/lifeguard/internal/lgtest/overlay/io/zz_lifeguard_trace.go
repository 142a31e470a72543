//go:build ignore

// This file is added to package io by the overlay of "lifeguard test"
// (github.com/lifeguard-go/lifeguard, cmd/lifeguard/internal/lgtest/overlay);
// it exists only in test builds made that way. The "//go:build ignore" line
// above is dropped when the overlay is written.
//
// An io.Pipe has no file descriptor, so /proc cannot show one left behind.
// What leaks when its writer is never closed is the goroutine blocked in
// Read waiting for an EOF that never comes. This file keeps, for every pipe
// that neither end has closed, the stack that created it and how many Reads
// are blocked on it. The lines inserted into pipe.go call:
//
//	Pipe                  lifeguardTracePipeCreated
//	(*pipe).read          lifeguardTraceReadWait before it blocks, lifeguardTraceReadDone (deferred) after
//	(*pipe).closeRead     lifeguardTracePipeClosed
//	(*pipe).closeWrite    lifeguardTracePipeClosed
//
// Once either end is closed a Read can no longer block for good (it gets
// EOF or ErrClosedPipe), so the pipe is dropped; so is a pipe the garbage
// collector finds unreachable, which no goroutine can be blocked on.
package io

import (
	"runtime"
	"sync"
	"unsafe"
)

// LifeguardTracePipe is an io.Pipe that a reader waits on: neither end has
// been closed, and at least one Read is blocked on it right now, waiting for
// data or the EOF of a writer's Close. PCs is the stack that called Pipe,
// innermost first as runtime.Callers gives it, starting at io.Pipe.
// LifeguardTracePipes reports only such pipes, so ReaderWaiting is always
// true and WriterClosed always false in what it returns; a pipe whose
// writer is closed cannot keep a reader waiting.
type LifeguardTracePipe struct {
	PCs           []uintptr
	ReaderWaiting bool
	WriterClosed  bool
}

// LifeguardTracePipes returns the pipes created whose ends are both open and
// on which a Read is blocked, oldest first.
func LifeguardTracePipes() []LifeguardTracePipe {
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	var waiting []*lifeguardTracePipeEntry
	for _, e := range t.pipes {
		if e.waiting > 0 {
			waiting = append(waiting, e)
		}
	}
	t.mu.Unlock()
	// Oldest first, so that the order is stable from one call to the next.
	for i := 1; i < len(waiting); i++ {
		for j := i; j > 0 && waiting[j].seq < waiting[j-1].seq; j-- {
			waiting[j], waiting[j-1] = waiting[j-1], waiting[j]
		}
	}
	list := make([]LifeguardTracePipe, len(waiting))
	for i, e := range waiting {
		list[i] = LifeguardTracePipe{PCs: e.pcs, ReaderWaiting: true}
	}
	return list
}

type lifeguardTracePipeEntry struct {
	key     uintptr // the *pipe
	seq     uint64  // creation order
	pcs     []uintptr
	waiting int // Reads blocked now
}

var lifeguardTracePipeTable struct {
	mu    sync.Mutex
	seq   uint64
	pipes map[uintptr]*lifeguardTracePipeEntry
}

func lifeguardTracePipeCreated(pw *PipeWriter) {
	var buf [64]uintptr
	n := runtime.Callers(2, buf[:]) // 0 Callers, 1 this function, 2 Pipe
	e := &lifeguardTracePipeEntry{
		key: uintptr(unsafe.Pointer(&pw.r.pipe)),
		pcs: append([]uintptr(nil), buf[:n]...),
	}
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	if t.pipes == nil {
		t.pipes = make(map[uintptr]*lifeguardTracePipeEntry)
	}
	t.seq++
	e.seq = t.seq
	t.pipes[e.key] = e
	t.mu.Unlock()
	// The entry holds the pipe's address, not the pipe: it must not keep
	// the pipe alive. When the pipe becomes unreachable its entry goes;
	// the check of identity keeps a new pipe made at the same address.
	runtime.AddCleanup(pw, lifeguardTracePipeCollected, e)
}

func lifeguardTracePipeCollected(e *lifeguardTracePipeEntry) {
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pipes[e.key] == e {
		delete(t.pipes, e.key)
	}
}

func lifeguardTraceReadWait(p *pipe) {
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.pipes[uintptr(unsafe.Pointer(p))]; e != nil {
		e.waiting++
	}
}

func lifeguardTraceReadDone(p *pipe) {
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.pipes[uintptr(unsafe.Pointer(p))]; e != nil && e.waiting > 0 {
		e.waiting--
	}
}

func lifeguardTracePipeClosed(p *pipe) {
	t := &lifeguardTracePipeTable
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pipes, uintptr(unsafe.Pointer(p)))
}
