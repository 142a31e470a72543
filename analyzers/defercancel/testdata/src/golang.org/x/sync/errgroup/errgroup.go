// Package errgroup is a stand-in for golang.org/x/sync/errgroup: a group
// whose Wait returns once every function given to Go has returned.
package errgroup

import (
	"context"
	"sync"
)

type Group struct {
	wg  sync.WaitGroup
	err error
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	return &Group{}, ctx
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
		}
	}()
}

func (g *Group) TryGo(f func() error) bool {
	g.Go(f)
	return true
}

func (g *Group) SetLimit(n int) {}

func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}
