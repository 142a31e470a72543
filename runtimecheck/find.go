package runtimecheck

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
)

// A sample is what the process holds at one moment.
type sample struct {
	fds     []fdEntry   // sorted by descriptor, without the listing's own
	procs   []procEntry // the children of this process, sorted by pid
	ioPipes []ioPipe    // open io.Pipes; only under lifeguard_trace
	gors    []goroutine // the goroutines os/exec started, sorted by id

	// subreaper is whether this process is a child subreaper (then an
	// orphaned descendant is re-parented to it and is among procs); pgrp
	// is its process group.
	subreaper bool
	pgrp      int
}

type fdEntry struct {
	fd     int
	target string // what /proc/self/fd/N links to
}

type procEntry struct {
	pid   int
	start uint64 // start time in clock ticks after boot: pid and start name a process
	state byte   // the state letter of /proc/PID/stat
	comm  string // the kernel's command name, all a zombie keeps
	pgrp  int    // its process group
}

type procKey struct {
	pid   int
	start uint64
}

func (p procEntry) key() procKey { return procKey{p.pid, p.start} }

// An ioPipe is an io.Pipe the overlay's io package knows of; key is its
// creation stack, the only identity the contract gives.
type ioPipe struct {
	pcs []uintptr
	key string
}

// system is what a check needs from the operating system, faked in tests.
type system interface {
	read() (*sample, error)
	fdinfo(fd int) string       // /proc/self/fdinfo/N, "" when it is gone
	cmdline(pid int) []string   // nil for zombies and when it is gone
	socket(inode uint64) string // "tcp 127.0.0.1:8080 listening", "" when unknown
	reap(pid int)               // wait for a zombie descendant (see finder.descendant)
}

// A candidate is a leak found but not yet described.
type candidate struct {
	kind  Kind
	fd    fdEntry
	flags int64 // fdinfo flags of a pipe, -1 unknown
	proc  procEntry
	io    ioPipe
	gor   goroutine

	// For a process that this process did not start (a descendant
	// re-parented to it, a subreaper), where its ancestor was started and
	// the ancestor's pid, when known.
	descendant  bool
	ancestor    int
	ancestorPCs []uintptr
}

// key identifies what a candidate is across samples.
func (c candidate) key() string {
	switch c.kind {
	case KindProcess:
		return fmt.Sprintf("p%d/%d", c.proc.pid, c.proc.start)
	case KindIOPipe:
		return "i" + c.io.key
	case KindGoroutine:
		return fmt.Sprintf("g%d", c.gor.id)
	}
	return fmt.Sprintf("f%d %s", c.fd.fd, c.fd.target)
}

// finder compares samples with a baseline.
type finder struct {
	sys      system
	cfg      *config
	base     *sample
	cmdlines map[procKey][]string // seen while the children still ran
	reaped   map[procKey]bool     // zombie descendants this finder reaped
	skip     map[string]bool      // candidate keys not to report (the automatic check's)
}

func newFinder(sys system, cfg *config, base *sample) *finder {
	return &finder{sys: sys, cfg: cfg, base: base, cmdlines: make(map[procKey][]string), reaped: make(map[procKey]bool)}
}

func (f *finder) baselines() []*sample {
	return append([]*sample{f.base}, f.cfg.current...)
}

// find returns what cur holds that the baseline did not, less what the Go
// runtime owns and what the options ignore.
func (f *finder) find(cur *sample) []candidate {
	found := f.find1(cur)
	if len(f.skip) == 0 {
		return found
	}
	kept := found[:0]
	for _, c := range found {
		if !f.skip[c.key()] {
			kept = append(kept, c)
		}
	}
	return kept
}

func (f *finder) find1(cur *sample) []candidate {
	oldFD := make(map[fdEntry]bool)
	oldProc := make(map[procKey]bool)
	oldIO := make(map[string]int)
	for _, s := range f.baselines() {
		for _, e := range s.fds {
			oldFD[e] = true
		}
		for _, p := range s.procs {
			oldProc[p.key()] = true
		}
	}
	for _, p := range f.base.ioPipes {
		oldIO[p.key]++
	}

	var newFDs []fdEntry
	for _, e := range cur.fds {
		if !oldFD[e] {
			newFDs = append(newFDs, e)
		}
	}
	var procs []candidate
	for _, p := range cur.procs {
		var anc descendant
		if cur.subreaper {
			anc = f.descendant(cur, p)
			if anc.is && p.state == 'Z' {
				// A descendant that exited: without the subreaper init
				// would have reaped it. It is no leak (a running one
				// is), and nothing else will ever wait for it.
				f.reap(p)
				continue
			}
		}
		if oldProc[p.key()] {
			continue
		}
		if p.state != 'Z' {
			if _, ok := f.cmdlines[p.key()]; !ok {
				if args := f.sys.cmdline(p.pid); args != nil {
					f.cmdlines[p.key()] = args
				}
			}
		}
		if f.ignoredProc(p) {
			continue
		}
		procs = append(procs, candidate{kind: KindProcess, fd: fdEntry{fd: -1}, proc: p, descendant: anc.is, ancestor: anc.pid, ancestorPCs: anc.pcs})
	}
	var gors []candidate
	if !f.cfg.ignoreKinds[KindGoroutine] {
		oldG := make(map[uint64]bool)
		for _, s := range f.baselines() {
			for _, g := range s.gors {
				oldG[g.id] = true
			}
		}
		for _, g := range cur.gors {
			if !oldG[g.id] {
				gors = append(gors, candidate{kind: KindGoroutine, fd: fdEntry{fd: -1}, gor: g})
			}
		}
	}
	var pipes []candidate
	for _, p := range cur.ioPipes {
		if oldIO[p.key] > 0 {
			oldIO[p.key]--
			continue
		}
		if !f.cfg.ignoreKinds[KindIOPipe] {
			pipes = append(pipes, candidate{kind: KindIOPipe, fd: fdEntry{fd: -1}, io: p})
		}
	}
	if len(newFDs) == 0 {
		return append(append(procs, pipes...), gors...)
	}

	np := f.netpoll(cur, newFDs)
	var fds []candidate
	for _, e := range newFDs {
		c := candidate{kind: fdKind(e.target), fd: e, flags: -1}
		switch {
		case np.owned[e.fd]:
			continue
		case isCgroupCPU(e.target):
			continue
		case e.target == "anon_inode:[pidfd]":
			// Go keeps a pidfd in every os.Process that is not done. One
			// whose fdinfo Pid is a leaked child is part of that child's
			// leak, reported as the child; any other belongs to an
			// os.Process value (os.FindProcess, a child reaped behind
			// os's back) that Release or the garbage collector closes.
			// Either way it is not a leak of its own.
			continue
		case c.kind == KindPipe:
			c.flags, _ = fdinfoInt(f.sys.fdinfo(e.fd), "flags:", 8)
			if np.found && f.splicePipe(cur, e, c.flags, np) {
				continue
			}
		}
		if f.ignoredFD(c.kind, e.target) {
			continue
		}
		fds = append(fds, c)
	}
	return append(append(append(fds, procs...), pipes...), gors...)
}

// A descendant says whether a child of this process is one it did not
// start: a descendant re-parented to it because it is a subreaper.
type descendant struct {
	is  bool
	pid int       // the ancestor this process started, 0 when unknown
	pcs []uintptr // the stack that started the ancestor, under lifeguard test
}

// descendant tells whether p, a child of this process (a subreaper), is a
// descendant of one of its children rather than a child itself. Under
// lifeguard test the overlay knows each child started and the
// descendants seen while their ancestors lived; without it, a process in
// another process group than its own pid's and this process's (made by a
// child started with Setpgid) is known to be a descendant.
func (f *finder) descendant(cur *sample, p procEntry) descendant {
	if traceEnabled {
		if traceStartedChild(p.pid) {
			return descendant{}
		}
		if pcs, anc, ok := traceDescendant(p.pid, p.start); ok {
			return descendant{is: true, pid: anc, pcs: pcs}
		}
	}
	if p.pgrp > 0 && p.pgrp != p.pid && p.pgrp != cur.pgrp {
		return descendant{is: true}
	}
	return descendant{}
}

// reap waits for a zombie descendant, once.
func (f *finder) reap(p procEntry) {
	if f.reaped[p.key()] {
		return
	}
	f.reaped[p.key()] = true
	f.sys.reap(p.pid)
}

// netpoll is the Go runtime's epoll instance: its descriptor and eventfd,
// and the descriptors registered in it.
type netpoll struct {
	found      bool
	owned      map[int]bool
	registered map[int]bool
}

// netpoll finds the runtime's epoll: the eventpoll that watches an eventfd
// (the runtime's wakeup descriptor). It reads fdinfo only when newFDs has
// an eventpoll, an eventfd or a pipe that might be runtime-owned.
func (f *finder) netpoll(cur *sample, newFDs []fdEntry) netpoll {
	np := netpoll{owned: map[int]bool{}, registered: map[int]bool{}}
	need := false
	for _, e := range newFDs {
		if e.target == "anon_inode:[eventpoll]" || e.target == "anon_inode:[eventfd]" || strings.HasPrefix(e.target, "pipe:") {
			need = true
			break
		}
	}
	if !need {
		return np
	}
	targets := make(map[int]string, len(cur.fds))
	for _, e := range cur.fds {
		targets[e.fd] = e.target
	}
	for _, e := range cur.fds {
		if e.target != "anon_inode:[eventpoll]" {
			continue
		}
		tfds := epollTargets(f.sys.fdinfo(e.fd))
		for _, t := range tfds {
			if targets[t] == "anon_inode:[eventfd]" {
				np.found = true
				np.owned[e.fd] = true
				np.owned[t] = true
				for _, r := range tfds {
					np.registered[r] = true
				}
				return np
			}
		}
	}
	return np
}

// splicePipe reports whether pipe e is one of internal/poll's splice pipes:
// pipes it makes with pipe2(O_NONBLOCK) for zero-copy io.Copy between
// sockets and files and keeps in a pool until the garbage collector frees
// them. Both ends are held, both non-blocking, and neither is registered in
// the runtime's epoll as every *os.File pipe end is.
func (f *finder) splicePipe(cur *sample, e fdEntry, flags int64, np netpoll) bool {
	if flags < 0 || flags&nonblock == 0 {
		return false
	}
	var read, write bool
	for _, o := range cur.fds {
		if o.target != e.target {
			continue
		}
		if np.registered[o.fd] {
			return false
		}
		fl := flags
		if o.fd != e.fd {
			var ok bool
			if fl, ok = fdinfoInt(f.sys.fdinfo(o.fd), "flags:", 8); !ok {
				return false
			}
		}
		if fl&nonblock == 0 {
			return false
		}
		switch fl & accmode {
		case 0:
			read = true
		case 1:
			write = true
		}
	}
	return read && write
}

const (
	accmode  = 0o3
	nonblock = 0o4000
)

func (f *finder) ignoredFD(k Kind, target string) bool {
	if f.cfg.ignoreKinds[k] {
		return true
	}
	for _, p := range f.cfg.ignorePaths {
		if matchTarget(p, target) {
			return true
		}
	}
	return false
}

func (f *finder) ignoredProc(p procEntry) bool {
	if len(f.cfg.ignoreProcs) == 0 {
		return false
	}
	args := f.cmdlines[p.key()]
	var names []string
	if len(args) > 0 {
		names = append(names, strings.Join(args, " "))
		if b := path.Base(args[0]); b != args[0] {
			names = append(names, strings.Join(append([]string{b}, args[1:]...), " "))
		}
	}
	names = append(names, p.comm)
	for _, pat := range f.cfg.ignoreProcs {
		for _, n := range names {
			if glob(pat, n) {
				return true
			}
		}
	}
	return false
}

// matchTarget matches an IgnoreFDPath pattern against an fd's target, and
// against its base name when the pattern has no '/'.
func matchTarget(pattern, target string) bool {
	if glob(pattern, target) {
		return true
	}
	if !strings.Contains(pattern, "/") && strings.HasPrefix(target, "/") {
		return glob(pattern, path.Base(strings.TrimSuffix(target, " (deleted)")))
	}
	return false
}

func fdKind(target string) Kind {
	switch {
	case strings.HasPrefix(target, "pipe:["):
		return KindPipe
	case strings.HasPrefix(target, "socket:["):
		return KindSocket
	case strings.HasPrefix(target, "anon_inode:"):
		return KindAnonInode
	case strings.HasPrefix(target, "/"):
		return KindFile
	}
	return KindOtherFD
}

// isCgroupCPU reports the cgroup files the Go runtime (1.25 and later)
// keeps open to follow the CPU limit for GOMAXPROCS.
func isCgroupCPU(target string) bool {
	if !strings.HasPrefix(target, "/sys/fs/cgroup/") {
		return false
	}
	switch path.Base(target) {
	case "cpu.max", "cpu.cfs_quota_us", "cpu.cfs_period_us":
		return true
	}
	return false
}

// fdinfoInt returns the number after key in an fdinfo text.
func fdinfoInt(info, key string, base int) (int64, bool) {
	for line := range strings.Lines(info) {
		if rest, ok := strings.CutPrefix(line, key); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(rest), base, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// epollTargets returns the descriptors an eventpoll's fdinfo lists
// ("tfd:        5 events: ...").
func epollTargets(info string) []int {
	var fds []int
	for line := range strings.Lines(info) {
		rest, ok := strings.CutPrefix(line, "tfd:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		if n, err := strconv.Atoi(fields[0]); err == nil {
			fds = append(fds, n)
		}
	}
	return fds
}

// describe turns candidates into leaks, in the order fds, processes,
// io.Pipes.
func (f *finder) describe(cands []candidate) ([]Leak, []string) {
	type keyed struct {
		Leak
		key string
	}
	leaks := make([]keyed, 0, len(cands))
	for _, c := range cands {
		l := keyed{Leak: Leak{Kind: c.kind, FD: c.fd.fd}, key: c.key()}
		switch c.kind {
		case KindProcess:
			l.PID = c.proc.pid
			l.Desc = f.describeProc(c)
			l.Origin = processOrigin(c.proc.pid)
			if l.Origin == nil && c.ancestorPCs != nil {
				l.Origin = originFromPCs(c.ancestorPCs)
			}
			l.Ancestor = c.ancestor
		case KindIOPipe:
			l.Desc = "io.Pipe writer never closed, a reader waits for EOF"
			l.Origin = originFromPCs(c.io.pcs)
		case KindGoroutine:
			l.Desc = c.gor.describe()
			l.Origin = goroutineOrigin(c.gor.id)
		default:
			l.Desc = f.describeFD(c)
			l.Origin = fdOrigin(c.fd.fd, c.kind)
		}
		leaks = append(leaks, l)
	}
	sort.SliceStable(leaks, func(i, j int) bool {
		oi, oj := kindOrder(leaks[i].Kind), kindOrder(leaks[j].Kind)
		if oi != oj {
			return oi < oj
		}
		if leaks[i].FD != leaks[j].FD {
			return leaks[i].FD < leaks[j].FD
		}
		return leaks[i].PID < leaks[j].PID // goroutines stay in id order
	})
	list, keys := make([]Leak, len(leaks)), make([]string, len(leaks))
	for i, l := range leaks {
		list[i], keys[i] = l.Leak, l.key
	}
	return list, keys
}

func kindOrder(k Kind) int {
	switch k {
	case KindProcess:
		return 1
	case KindIOPipe:
		return 2
	case KindGoroutine:
		return 3
	}
	return 0
}

func (f *finder) describeFD(c candidate) string {
	fd := strconv.Itoa(c.fd.fd)
	t := c.fd.target
	switch c.kind {
	case KindPipe:
		switch {
		case c.flags < 0:
			return "fd " + fd + " " + t
		case c.flags&accmode == 0:
			return "fd " + fd + " " + t + " read end"
		case c.flags&accmode == 1:
			return "fd " + fd + " " + t + " write end"
		}
		return "fd " + fd + " " + t + " read-write"
	case KindSocket:
		ino, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(t, "socket:["), "]"), 10, 64)
		if err == nil {
			if s := f.sys.socket(ino); s != "" {
				return "fd " + fd + " " + t + " " + s
			}
		}
		return "fd " + fd + " " + t
	case KindFile:
		return "fd " + fd + " file " + t
	}
	return "fd " + fd + " " + t
}

func (f *finder) describeProc(c candidate) string {
	p := c.proc
	s := "pid " + strconv.Itoa(p.pid) + " " + stateWord(p.state) + " "
	if args := f.cmdlines[p.key()]; len(args) > 0 {
		s += strconv.Quote(strings.Join(args, " "))
	} else {
		s += "[" + p.comm + "]"
	}
	if c.ancestor > 0 {
		s += ", orphaned descendant of pid " + strconv.Itoa(c.ancestor)
	}
	return s
}

func stateWord(s byte) string {
	switch s {
	case 'Z':
		return "zombie"
	case 'T':
		return "stopped"
	case 't':
		return "stopped by a tracer"
	case 'X', 'x':
		return "dead"
	}
	return "running"
}
