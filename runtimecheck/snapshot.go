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
	cfg := s.f.cfg
	deadline := time.Now().Add(cfg.maxWait)
	delay := 100 * time.Microsecond
	for {
		cur, err := s.f.sys.read()
		if err != nil {
			return nil, nil, err
		}
		found := s.f.find(cur)
		if len(found) == 0 {
			return nil, nil, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			leaks, keys := s.f.describe(found)
			return leaks, keys, nil
		}
		time.Sleep(min(delay, left))
		delay = min(2*delay, 100*time.Millisecond)
	}
}

func sortFDs(fds []fdEntry) {
	slices.SortFunc(fds, func(a, b fdEntry) int { return a.fd - b.fd })
}

func sortProcs(ps []procEntry) {
	slices.SortFunc(ps, func(a, b procEntry) int { return a.pid - b.pid })
}
