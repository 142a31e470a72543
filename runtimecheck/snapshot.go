package runtimecheck

// This file and the others of the package that do not import testing are
// also built, by lifeguard test, into the standard library's testing
// package (as testing/internal), where they run the automatic check of
// test binaries that never call runtimecheck (auto.go). They must keep to
// the standard library.

import (
	"slices"
	"sync"
	"time"
)

// A Snapshot is a baseline: the file descriptors and child processes the
// process held when it was taken.
type Snapshot struct {
	mu sync.Mutex // Leaks from several goroutines share f's cache
	f  *finder
}

// TakeSnapshot records what the process holds now. On systems other than
// Linux it returns an error that wraps errors.ErrUnsupported.
func TakeSnapshot(opts ...Option) (*Snapshot, error) {
	return takeSnapshot(defaultSystem, newConfig(opts))
}

func takeSnapshot(sys system, cfg *config) (*Snapshot, error) {
	if cfg.descendants && sys == defaultSystem {
		enableSubreaper() // an error leaves children as they were: nothing to report
	}
	base, err := sys.read()
	if err != nil {
		return nil, err
	}
	return &Snapshot{f: newFinder(sys, cfg, base)}, nil
}

// Leaks returns what the process holds now and did not when s was taken:
// file descriptors, child processes (zombies or still running, never
// reaped by runtimecheck) and, under lifeguard test, io.Pipes never closed.
// It looks again with backoff until nothing is left or the MaxWait budget
// is spent, and returns nil when nothing is left.
func (s *Snapshot) Leaks() ([]Leak, error) {
	leaks, _, err := s.leaks()
	return leaks, err
}

// leaks is Leaks, with the key of each leak (candidate.key).
func (s *Snapshot) leaks() ([]Leak, []string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, err := s.f.sys.read()
	if err != nil {
		return nil, nil, err
	}
	found, err := s.f.settle(s.f.find(cur), func(candidate) bool { return true })
	if err != nil || len(found) == 0 {
		return nil, nil, err
	}
	leaks, keys := s.f.describe(found)
	return leaks, keys, nil
}

// settle keeps those of found that keep selects and, while any is left,
// looks again with backoff until they are gone or the MaxWait budget is
// spent, and returns those still there. A resource released a moment
// after the check began is no leak: a child's pipe is closed before the
// child has finished exiting (the kernel releases its memory and files
// first, then makes it a zombie), a goroutine returns after its channel
// was closed. Only what was in found is kept on the later looks.
func (f *finder) settle(found []candidate, keep func(candidate) bool) ([]candidate, error) {
	deadline := time.Now().Add(f.cfg.maxWait)
	delay := 100 * time.Microsecond
	first := make(map[string]bool)
	for _, c := range found {
		if keep(c) {
			first[c.key()] = true
		}
	}
	for {
		found = slices.DeleteFunc(found, func(c candidate) bool { return !first[c.key()] })
		left := time.Until(deadline)
		if len(found) == 0 || left <= 0 {
			return found, nil
		}
		time.Sleep(min(delay, left))
		delay = min(2*delay, 100*time.Millisecond)
		cur, err := f.sys.read()
		if err != nil {
			return nil, err
		}
		found = f.find(cur)
	}
}

func sortFDs(fds []fdEntry) {
	slices.SortFunc(fds, func(a, b fdEntry) int { return a.fd - b.fd })
}

func sortProcs(ps []procEntry) {
	slices.SortFunc(ps, func(a, b procEntry) int { return a.pid - b.pid })
}
