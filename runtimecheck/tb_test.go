package runtimecheck

import (
	"fmt"
	"sync"
	"testing"
)

// recTB is a testing.TB that records what a check says and runs its
// cleanups when told, so that Check can be tested and benchmarked in
// process. Everything else goes to the real TB it wraps.
type recTB struct {
	testing.TB
	name     string
	mu       sync.Mutex
	errs     []string
	logs     []string
	cleanups []func()
}

func newRecTB(tb testing.TB, name string) *recTB { return &recTB{TB: tb, name: name} }

func (r *recTB) Helper()          {}
func (r *recTB) Name() string     { return r.name }
func (r *recTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recTB) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprint(args...))
}
func (r *recTB) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }
func (r *recTB) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprint(args...))
}
func (r *recTB) Logf(format string, args ...any) { r.Log(fmt.Sprintf(format, args...)) }

// finish runs the cleanups, last registered first, as testing does.
func (r *recTB) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.cleanups = nil
}
