//go:build ignore

// This file is added to package os by the overlay of "lifeguard test"
// (github.com/lifeguard-go/lifeguard, cmd/lifeguard/internal/lgtest/overlay);
// it exists only in test builds made that way. The "//go:build ignore" line
// above is dropped when the overlay is written: it keeps the go command
// from building this directory as a package of the lifeguard module.
//
// It records the stack of every file descriptor package os or net creates
// and of every child process os starts, so that runtimecheck (built with
// the lifeguard_trace tag) can say where a leaked one came from. The
// standard library's own files get only calls inserted on lines that
// already exist, so every other line number in them stays true; those calls
// are:
//
//	newFile (file_unix.go)          lifeguardTraceNewFile: every *File (open, Pipe, NewFile, net's File methods)
//	(*file).close (file_unix.go)    lifeguardTraceCloseFile, before the descriptor is closed
//	startProcess (exec_posix.go)    lifeguardTraceStarted, after a successful start
//	(*Process).wait (exec_unix.go)  lifeguardTraceWaited, after a successful wait
//
// and in package net, newFD and (*netFD).Close, which call
// LifeguardTraceRecordOwner and LifeguardTraceForgetOwner.
//
// A record is forgotten when its descriptor is closed, before the close
// system call, so a descriptor number that the kernel hands out again is
// never attributed to the stack of the one closed before it: a new owner
// made by os or net records its own stack, and one made elsewhere (the
// runtime's netpoller, syscall.Pipe2 called directly, cgo) has no record.
// Records are keyed by their owner (the *file or net's *netFD), so closing
// an owner twice, or after its number was reused, forgets nothing else.
package os

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// lifeguardTraceDepth is the number of frames kept per record: enough for
// the user's frame and the Test function above it in most stacks.
const lifeguardTraceDepth = 64

type lifeguardTraceFDRecord struct {
	pcs   []uintptr
	kind  string
	owner uintptr // the *file or *netFD that owns fd, 0 for LifeguardTraceRecord
}

var lifeguardTrace struct {
	mu     sync.Mutex
	fds    map[int]lifeguardTraceFDRecord
	owners map[uintptr]int // owner -> fd
	procs  map[int][]uintptr
}

// lifeguardTraceCallers returns the stack of its caller's caller, without
// the skip frames above that.
func lifeguardTraceCallers(skip int) []uintptr {
	var buf [lifeguardTraceDepth]uintptr
	n := runtime.Callers(3+skip, buf[:]) // 0 Callers, 1 lifeguardTraceCallers, 2 its caller
	return append([]uintptr(nil), buf[:n]...)
}

func lifeguardTraceRecordFD(fd int, kind string, owner uintptr, pcs []uintptr) {
	if fd < 0 {
		return
	}
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fds == nil {
		t.fds = make(map[int]lifeguardTraceFDRecord)
		t.owners = make(map[uintptr]int)
	}
	if old, ok := t.fds[fd]; ok && old.owner != 0 {
		delete(t.owners, old.owner)
	}
	t.fds[fd] = lifeguardTraceFDRecord{pcs: pcs, kind: kind, owner: owner}
	if owner != 0 {
		t.owners[owner] = fd
	}
}

// LifeguardTraceRecord records the calling goroutine's stack for fd, the
// innermost frame being LifeguardTraceRecord's caller, with kind ("file",
// "pipe", "socket", ...). A later record for the same fd replaces it.
func LifeguardTraceRecord(fd int, kind string) {
	lifeguardTraceRecordFD(fd, kind, 0, lifeguardTraceCallers(0))
}

// LifeguardTraceRecordOwner is LifeguardTraceRecord for a descriptor owned
// by the value at address owner (net's *netFD), which forgets it with
// LifeguardTraceForgetOwner; skip frames above the caller are left out.
func LifeguardTraceRecordOwner(fd int, kind string, owner uintptr, skip int) {
	lifeguardTraceRecordFD(fd, kind, owner, lifeguardTraceCallers(skip))
}

// LifeguardTraceForget drops fd's record; called when fd is closed by code
// that has no owner value.
func LifeguardTraceForget(fd int) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, ok := t.fds[fd]; ok {
		delete(t.fds, fd)
		if old.owner != 0 {
			delete(t.owners, old.owner)
		}
	}
}

// LifeguardTraceForgetOwner drops the record of the descriptor that owner
// recorded, if it is still owner's: called when owner closes it.
func LifeguardTraceForgetOwner(owner uintptr) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	fd, ok := t.owners[owner]
	if !ok {
		return
	}
	delete(t.owners, owner)
	if t.fds[fd].owner == owner {
		delete(t.fds, fd)
	}
}

// LifeguardTraceFD returns the program counters recorded when fd was created
// (innermost first, as runtime.Callers gives them, starting at the function
// that called the recording hook: os.newFile, net.newFD, ...) and the kind
// given, ok false when fd has no record.
func LifeguardTraceFD(fd int) (pcs []uintptr, kind string, ok bool) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.fds[fd]
	return r.pcs, r.kind, ok
}

// LifeguardTraceProcessRecord records the calling goroutine's stack for the
// started child pid, the innermost frame being its caller.
func LifeguardTraceProcessRecord(pid int) {
	lifeguardTraceRecordProcess(pid, lifeguardTraceCallers(0))
}

func lifeguardTraceRecordProcess(pid int, pcs []uintptr) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.procs == nil {
		t.procs = make(map[int][]uintptr)
	}
	t.procs[pid] = pcs
}

// LifeguardTraceProcess returns the program counters recorded when the child
// pid was started (innermost first, starting at os.startProcess), ok false
// when pid has no record: not started by package os, or already waited for.
func LifeguardTraceProcess(pid int) (pcs []uintptr, ok bool) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	pcs, ok = t.procs[pid]
	return pcs, ok
}

// The hooks called from the lines inserted into os's own files.

func lifeguardTraceNewFile(f *file, fd int, kind newFileKind) {
	var name string
	switch kind {
	case kindPipe:
		name = "pipe"
	case kindSock:
		name = "socket"
	case kindNewFile:
		// os.NewFile wraps a descriptor made elsewhere, of any type.
		name = "file"
		var st syscall.Stat_t
		if syscall.Fstat(fd, &st) == nil {
			switch st.Mode & syscall.S_IFMT {
			case syscall.S_IFSOCK:
				name = "socket"
			case syscall.S_IFIFO:
				name = "pipe"
			}
		}
	default:
		name = "file"
	}
	lifeguardTraceRecordFD(fd, name, uintptr(unsafe.Pointer(f)), lifeguardTraceCallers(0))
}

func lifeguardTraceCloseFile(f *file) {
	if f != nil {
		LifeguardTraceForgetOwner(uintptr(unsafe.Pointer(f)))
	}
}

func lifeguardTraceStarted(pid int) {
	lifeguardTraceRecordProcess(pid, lifeguardTraceCallers(0))
}

// lifeguardTraceWaited is deferred by (*Process).wait: once the child is
// reaped its pid may be reused, so its record goes.
func lifeguardTraceWaited(ps **ProcessState) {
	if *ps == nil {
		return
	}
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.procs, (*ps).pid)
}
