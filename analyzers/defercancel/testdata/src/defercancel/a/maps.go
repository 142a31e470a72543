package a

import (
	"context"
	"sync"
)

type jobs struct {
	mu      sync.Mutex
	running map[string]context.CancelFunc
}

func run(ctx context.Context, id string) error { return nil }

// The cancel is stored for Cancel to call while the job runs, and deleted
// at the end of the iteration without being called: the map does not own
// it past the iteration, and the deferred cancels pile up.
func (j *jobs) runAll(ctx context.Context, ids []string) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at maps.go:20 stays alive until \(\*jobs\)\.runAll returns`
		j.mu.Lock()
		j.running[id] = cancel
		j.mu.Unlock()
		run(ctx, id)
		j.mu.Lock()
		delete(j.running, id)
		j.mu.Unlock()
	}
}

// A local map, deleted on every path of the iteration.
func runLocal(ctx context.Context, ids []string) {
	m := map[string]context.CancelFunc{}
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at maps.go:36 stays alive until runLocal returns`
		m[id] = cancel
		if err := run(ctx, id); err != nil {
			delete(m, id)
			continue
		}
		delete(m, id)
	}
}

func (j *jobs) Cancel(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if cancel, ok := j.running[id]; ok {
		cancel()
	}
}

// Kept in the map past the iteration: someone else cancels it (a hand-off,
// not reported).
func (j *jobs) startAll(ctx context.Context, ids []string) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		j.running[id] = cancel
		run(ctx, id)
	}
}

// Deleted on one path only: kept on the other.
func (j *jobs) someDeleted(ctx context.Context, ids []string) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		j.running[id] = cancel
		if run(ctx, id) == nil {
			delete(j.running, id)
		}
	}
}

// Another key is deleted.
func (j *jobs) otherKey(ctx context.Context, ids []string, old string) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		j.running[id] = cancel
		run(ctx, id)
		delete(j.running, old)
	}
}

// The stored cancel is called before it is deleted: cancelled at the end
// of each iteration.
func (j *jobs) calledThenDeleted(ctx context.Context, ids []string) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		j.running[id] = cancel
		run(ctx, id)
		j.running[id]()
		delete(j.running, id)
	}
}
