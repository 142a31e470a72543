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
//	(*Process).wait (exec_unix.go)  lifeguardTraceWaiting before it waits, lifeguardTraceWaited after a successful wait
//	(*Process).signal (exec_unix.go) lifeguardTraceSignal, before it signals
//	Exit (proc.go)                  lifeguardTraceExit, before the process exits
//
// and in package net, newFD and (*netFD).Close, which call
// LifeguardTraceRecordOwner and LifeguardTraceForgetOwner, and in
// os/exec, (*Cmd).Start and its goroutines, which call
// LifeguardTraceCmdStarted and LifeguardTraceGoroutineStart/Done.
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
	procs  map[int]*lifeguardTraceChild

	// exited are the last children reaped, for the descendants of theirs
	// seen only once orphaned (lifeguardTraceInfer).
	exited []*lifeguardTraceChild
	// descs are the descendants of started children seen while their
	// ancestor lived: pid -> record.
	descs map[int]lifeguardTraceDesc

	// cmds are the os/exec commands started whose goroutines have not all
	// started: key (the *exec.Cmd) -> record; gors the live goroutines of
	// os/exec: goroutine id -> the stack that started its command.
	cmds map[uintptr]*lifeguardTraceCmd
	gors map[uint64][]uintptr

	onExit func(code int)
}

// A lifeguardTraceChild is a child os started.
type lifeguardTraceChild struct {
	pid    int
	pcs    []uintptr
	start  uint64 // its start time, in clock ticks after boot (/proc/PID/stat)
	reaped uint64 // when it was reaped, in the same ticks; 0 while it lives
}

type lifeguardTraceDesc struct {
	start    uint64
	ancestor int
	pcs      []uintptr
}

type lifeguardTraceCmd struct {
	pcs     []uintptr
	pending int // goroutines not yet started
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
	start, _, _ := lifeguardTraceStat(pid)
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.procs == nil {
		t.procs = make(map[int]*lifeguardTraceChild)
	}
	t.procs[pid] = &lifeguardTraceChild{pid: pid, pcs: pcs, start: start}
}

// LifeguardTraceProcess returns the program counters recorded when the child
// pid was started (innermost first, starting at os.startProcess), ok false
// when pid has no record: not started by package os, or already waited for.
func LifeguardTraceProcess(pid int) (pcs []uintptr, ok bool) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.procs[pid]
	if !ok {
		return nil, false
	}
	return c.pcs, true
}

// LifeguardTraceDescendant returns, for a process that os did not start
// (pid, with its start time in clock ticks after boot as /proc/PID/stat
// gives it), the program counters recorded when the child it descends from
// was started and that child's pid. ok is false when nothing is known of
// its ancestry. A descendant seen while its ancestor lived (at a Signal or
// Kill of the ancestor, a Wait for it, or LifeguardTraceScanDescendants)
// is known exactly; one orphaned before any of those is attributed to the
// one child started before it and reaped after it started (its lifetime
// holds the descendant's start), when exactly one is.
func LifeguardTraceDescendant(pid int, start uint64) (pcs []uintptr, ancestor int, ok bool) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if d, ok := t.descs[pid]; ok && d.start == start {
		return d.pcs, d.ancestor, true
	}
	if _, ok := t.procs[pid]; ok {
		return nil, 0, false // a child, not a descendant
	}
	var found *lifeguardTraceChild
	check := func(c *lifeguardTraceChild) bool {
		if c.pid == pid || c.start == 0 || c.start > start+1 || c.reaped != 0 && c.reaped+1 < start {
			return true
		}
		if found != nil {
			return false // two candidates: unknown
		}
		found = c
		return true
	}
	for _, c := range t.procs {
		if !check(c) {
			return nil, 0, false
		}
	}
	for _, c := range t.exited {
		if !check(c) {
			return nil, 0, false
		}
	}
	if found == nil {
		return nil, 0, false
	}
	return found.pcs, found.pid, true
}

// LifeguardTraceScanDescendants notes the descendants of every live child
// os started, so that they are known once orphaned.
func LifeguardTraceScanDescendants() {
	t := &lifeguardTrace
	t.mu.Lock()
	roots := make([]*lifeguardTraceChild, 0, len(t.procs))
	for _, c := range t.procs {
		roots = append(roots, c)
	}
	t.mu.Unlock()
	for _, c := range roots {
		lifeguardTraceScanTree(c)
	}
}

// lifeguardTraceScanTree records the live descendants of child c, read
// from /proc/PID/task/TID/children.
func lifeguardTraceScanTree(c *lifeguardTraceChild) {
	var found []int
	queue := []int{c.pid}
	for len(queue) > 0 && len(found) < 4096 {
		pid := queue[0]
		queue = queue[1:]
		for _, k := range lifeguardTraceChildren(pid) {
			found = append(found, k)
			queue = append(queue, k)
		}
	}
	if len(found) == 0 {
		return
	}
	descs := make(map[int]lifeguardTraceDesc, len(found))
	for _, pid := range found {
		if start, _, ok := lifeguardTraceStat(pid); ok {
			descs[pid] = lifeguardTraceDesc{start: start, ancestor: c.pid, pcs: c.pcs}
		}
	}
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.descs == nil {
		t.descs = make(map[int]lifeguardTraceDesc)
	}
	for pid, d := range descs {
		if old, ok := t.descs[pid]; !ok || old.start != d.start {
			t.descs[pid] = d
		}
	}
}

// lifeguardTraceChildren lists pid's children, from each of its threads.
func lifeguardTraceChildren(pid int) []int {
	dir := "/proc/" + lifeguardTraceItoa(pid) + "/task"
	tids := lifeguardTraceNumbers(dir)
	var kids []int
	for _, tid := range tids {
		b := lifeguardTraceReadFile(dir + "/" + lifeguardTraceItoa(tid) + "/children")
		n := 0
		in := false
		for _, ch := range b {
			if ch >= '0' && ch <= '9' {
				n = n*10 + int(ch-'0')
				in = true
			} else if in {
				kids = append(kids, n)
				n, in = 0, false
			}
		}
		if in {
			kids = append(kids, n)
		}
	}
	return kids
}

func lifeguardTraceItoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// lifeguardTraceNumbers lists the numeric names in a directory.
func lifeguardTraceNumbers(dir string) []int {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var buf [4096]byte
	var names []string
	for {
		n, err := syscall.ReadDirent(fd, buf[:])
		if err != nil || n <= 0 {
			break
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
	var nums []int
	for _, name := range names {
		n, ok := 0, len(name) > 0
		for _, ch := range []byte(name) {
			if ch < '0' || ch > '9' {
				ok = false
				break
			}
			n = n*10 + int(ch-'0')
		}
		if ok {
			nums = append(nums, n)
		}
	}
	return nums
}

// lifeguardTraceReadFile reads a small /proc file with system calls alone
// (no *File: nothing to record).
func lifeguardTraceReadFile(name string) []byte {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var out []byte
	var buf [1024]byte
	for {
		n, err := syscall.Read(fd, buf[:])
		if n > 0 {
			out = append(out, buf[:n]...)
		}
		if err != nil && err != syscall.EINTR || n <= 0 && err == nil {
			return out
		}
	}
}

// lifeguardTraceStat returns pid's start time (clock ticks after boot) and
// process group from /proc/PID/stat.
func lifeguardTraceStat(pid int) (start uint64, pgrp int, ok bool) {
	b := lifeguardTraceReadFile("/proc/" + lifeguardTraceItoa(pid) + "/stat")
	i := len(b) - 1
	for i >= 0 && b[i] != ')' {
		i--
	}
	if i < 0 {
		return 0, 0, false
	}
	field := 2 // the field that ends at ')'
	var cur uint64
	in := false
	for _, ch := range b[i+1:] {
		if ch == ' ' || ch == '\n' {
			if in {
				field++
				switch field {
				case 5:
					pgrp = int(cur)
				case 22:
					return cur, pgrp, true
				}
			}
			cur, in = 0, false
			continue
		}
		if !in {
			in = true
		}
		if ch >= '0' && ch <= '9' {
			cur = cur*10 + uint64(ch-'0')
		}
	}
	return 0, 0, false
}

// lifeguardTraceNow is the time now in the ticks of /proc/PID/stat's start
// time: CLOCK_BOOTTIME in hundredths of a second (USER_HZ).
func lifeguardTraceNow() uint64 {
	var ts syscall.Timespec
	const clockBoottime = 7
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockBoottime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return uint64(ts.Sec)*100 + uint64(ts.Nsec)/1e7
}

// LifeguardTraceCmdStarted records the calling goroutine's stack for an
// os/exec command (key, the *exec.Cmd) that has just started and is about
// to start n goroutines, each of which calls LifeguardTraceGoroutineStart
// with the same key. skip frames above the caller are left out.
func LifeguardTraceCmdStarted(key uintptr, n int, skip int) {
	if n <= 0 {
		return
	}
	pcs := lifeguardTraceCallers(skip)
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cmds == nil {
		t.cmds = make(map[uintptr]*lifeguardTraceCmd)
	}
	t.cmds[key] = &lifeguardTraceCmd{pcs: pcs, pending: n}
}

// LifeguardTraceGoroutineStart says that goroutine id, one of the command
// key's, runs.
func LifeguardTraceGoroutineStart(key uintptr, id uint64) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.cmds[key]
	if c == nil {
		return
	}
	if c.pending--; c.pending <= 0 {
		delete(t.cmds, key)
	}
	if t.gors == nil {
		t.gors = make(map[uint64][]uintptr)
	}
	t.gors[id] = c.pcs
}

// LifeguardTraceGoroutineDone says that goroutine id has returned.
func LifeguardTraceGoroutineDone(id uint64) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.gors, id)
}

// LifeguardTraceGoroutine returns the stack that started the command of
// os/exec's goroutine id, while it runs.
func LifeguardTraceGoroutine(id uint64) (pcs []uintptr, ok bool) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	pcs, ok = t.gors[id]
	return pcs, ok
}

// LifeguardTraceOnExit sets the function os.Exit calls, with the exit
// status, before the process exits (lifeguard test's automatic check).
func LifeguardTraceOnExit(f func(code int)) {
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onExit = f
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
	lifeguardTraceReapOrphans()
}

// lifeguardTraceReapOrphans reaps the exited children of this process that
// os did not start: descendants the subreaper re-parented to it, which
// init would have reaped as they exited. A test that kills a tree and then
// checks it is gone (ps -p PID, FindProcess(pid).Signal(0)) sees what it
// sees without lifeguard test; the checks report only running orphans, and
// reap the exited ones too. It runs after each start and before each
// signal and wait, and does nothing unless this process is a subreaper.
func lifeguardTraceReapOrphans() {
	const prGetChildSubreaper = 37
	var on int32
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prGetChildSubreaper, uintptr(unsafe.Pointer(&on)), 0); errno != 0 || on == 0 {
		return
	}
	t := &lifeguardTrace
	for _, k := range lifeguardTraceChildren(Getpid()) {
		t.mu.Lock()
		_, ours := t.procs[k]
		t.mu.Unlock()
		if ours || !lifeguardTraceZombie(k) {
			continue
		}
		var ws syscall.WaitStatus
		syscall.Wait4(k, &ws, syscall.WNOHANG, nil)
	}
}

// lifeguardTraceZombie reports whether pid has exited and awaits its
// parent's wait: state Z in /proc/PID/stat.
func lifeguardTraceZombie(pid int) bool {
	b := lifeguardTraceReadFile("/proc/" + lifeguardTraceItoa(pid) + "/stat")
	i := len(b) - 1
	for i >= 0 && b[i] != ')' {
		i--
	}
	return i >= 0 && i+2 < len(b) && b[i+2] == 'Z'
}

// lifeguardTraceWaiting is called by (*Process).wait before it waits, and
// lifeguardTraceSignal by (*Process).signal before it signals: the child's
// descendants, which its exit orphans, are noted while they descend from it.
func lifeguardTraceWaiting(pid int) {
	lifeguardTraceReapOrphans()
	lifeguardTraceNoteTree(pid)
}

func lifeguardTraceSignal(pid int) {
	lifeguardTraceReapOrphans()
	lifeguardTraceNoteTree(pid)
}

func lifeguardTraceNoteTree(pid int) {
	t := &lifeguardTrace
	t.mu.Lock()
	c := t.procs[pid]
	t.mu.Unlock()
	if c != nil {
		lifeguardTraceScanTree(c)
	}
}

// lifeguardTraceWaited is deferred by (*Process).wait: once the child is
// reaped its pid may be reused, so its record goes (to the list of the
// last children reaped).
func lifeguardTraceWaited(ps **ProcessState) {
	if *ps == nil {
		return
	}
	now := lifeguardTraceNow()
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.procs[(*ps).pid]
	if c == nil {
		return
	}
	delete(t.procs, c.pid)
	c.reaped = now
	const keep = 256
	if len(t.exited) == keep {
		copy(t.exited, t.exited[1:])
		t.exited = t.exited[:keep-1]
	}
	t.exited = append(t.exited, c)
	t.mu.Unlock()
	lifeguardTraceAdoptOrphans(c)
	t.mu.Lock()
}

// lifeguardTraceAdoptOrphans notes, once c is reaped, the children of this
// process that os did not start and that nothing is known of, started
// after c: when this process is a subreaper, c's descendants orphaned by
// its exit are among them (a shell that put a job in the background and
// exited before anything saw its tree).
func lifeguardTraceAdoptOrphans(c *lifeguardTraceChild) {
	self := Getpid()
	kids := lifeguardTraceChildren(self)
	if len(kids) == 0 {
		return
	}
	type kid struct {
		pid   int
		start uint64
	}
	var cands []kid
	for _, k := range kids {
		if start, _, ok := lifeguardTraceStat(k); ok && start+1 >= c.start {
			cands = append(cands, kid{k, start})
		}
	}
	t := &lifeguardTrace
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range cands {
		if _, ok := t.procs[k.pid]; ok {
			continue
		}
		if d, ok := t.descs[k.pid]; ok && d.start == k.start {
			continue
		}
		if t.descs == nil {
			t.descs = make(map[int]lifeguardTraceDesc)
		}
		t.descs[k.pid] = lifeguardTraceDesc{start: k.start, ancestor: c.pid, pcs: c.pcs}
	}
}

// lifeguardTraceExit is called by Exit.
func lifeguardTraceExit(code int) {
	t := &lifeguardTrace
	t.mu.Lock()
	f := t.onExit
	t.onExit = nil
	t.mu.Unlock()
	if f != nil {
		f(code)
	}
}
