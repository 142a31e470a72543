package runtimecheck

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// fakeSystem is a process described by hand: descriptors with their
// targets and fdinfo, children with their states and command lines.
// Each read returns the next of states, and the last one again.
type fakeSystem struct {
	mu         sync.Mutex
	states     []fakeState
	reads      int
	sockets    map[uint64]string
	reapedPIDs []int
}

type fakeState struct {
	fds   map[int]fakeFD
	procs []procEntry
	args  map[int][]string
	pipes []ioPipe
	gors  []goroutine
	// subreaper and pgrp are the sample's
	subreaper bool
	pgrp      int
	failed    error
}

type fakeFD struct {
	target string
	info   string
}

func (f *fakeSystem) cur() fakeState {
	i := min(f.reads, len(f.states)-1)
	if f.reads > 0 {
		i = min(f.reads-1, len(f.states)-1)
	}
	return f.states[i]
}

func (f *fakeSystem) read() (*sample, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	st := f.cur()
	if st.failed != nil {
		return nil, st.failed
	}
	s := new(sample)
	for _, fd := range slices.Sorted(maps.Keys(st.fds)) {
		s.fds = append(s.fds, fdEntry{fd: fd, target: st.fds[fd].target})
	}
	s.procs = append(s.procs, st.procs...)
	s.ioPipes = append(s.ioPipes, st.pipes...)
	s.gors = append(s.gors, st.gors...)
	s.subreaper, s.pgrp = st.subreaper, st.pgrp
	return s, nil
}

func (f *fakeSystem) fdinfo(fd int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur().fds[fd].info
}

func (f *fakeSystem) cmdline(pid int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur().args[pid]
}

func (f *fakeSystem) socket(ino uint64) string {
	return f.sockets[ino]
}

func (f *fakeSystem) reap(pid int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reapedPIDs = append(f.reapedPIDs, pid)
}

// baseFDs is what a Go test binary holds at the start: stdio and the
// cgroup files of the runtime's GOMAXPROCS.
func baseFDs() map[int]fakeFD {
	return map[int]fakeFD{
		0: {target: "/dev/null", info: "flags:\t0100000\n"},
		1: {target: "pipe:[100]", info: "flags:\t01\n"},
		2: {target: "pipe:[100]", info: "flags:\t01\n"},
		3: {target: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", info: "flags:\t02100000\n"},
		4: {target: "/sys/fs/cgroup/cpu/cpu.cfs_period_us", info: "flags:\t02100000\n"},
	}
}

// with returns base plus the descriptors given.
func with(base map[int]fakeFD, add map[int]fakeFD) map[int]fakeFD {
	m := maps.Clone(base)
	maps.Copy(m, add)
	return m
}

// netpollFDs is the runtime's epoll (fd 5) watching its eventfd (fd 6) and
// the descriptors in registered.
func netpollFDs(registered ...int) map[int]fakeFD {
	info := "pos:\t0\nflags:\t02000002\n"
	for _, fd := range append([]int{6}, registered...) {
		info += fmt.Sprintf("tfd: %8d events:       19 data:           67d270  pos:0 ino:40e sdev:10\n", fd)
	}
	return map[int]fakeFD{
		5: {target: "anon_inode:[eventpoll]", info: info},
		6: {target: "anon_inode:[eventfd]", info: "flags:\t02004002\neventfd-count: 0\n"},
	}
}

func pipeEnd(ino int, flags string) fakeFD {
	return fakeFD{target: fmt.Sprintf("pipe:[%d]", ino), info: "pos:\t0\nflags:\t" + flags + "\n"}
}
