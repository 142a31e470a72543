package a

import (
	"context"
	"iter"
	"net/http"
)

// Generic handlers and goroutine functions.
type Cache[K comparable, V any] struct {
	items map[K]V
}

func (c *Cache[K, V]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	go c.refresh() // want `goroutine started in HTTP handler \(\*Cache\)\.ServeHTTP has no deferred recover: .*; defer a recover at the top of \(\*Cache\)\.refresh`
	go c.safeRefresh()
	go each(c.items, func(K, V) { audit(nil) }) // want `defer a recover at the top of each`
	go each(c.items, func(K, V) {})             // only calls back an empty literal
	go safeEach(c.items, func(K, V) {})
}

func (c *Cache[K, V]) refresh() {
	audit(nil)
	clear(c.items)
}

func (c *Cache[K, V]) safeRefresh() { // want safeRefresh:"panics\\(protected\\)"
	defer logPanic()
	clear(c.items)
}

func each[K comparable, V any](m map[K]V, f func(K, V)) {
	for k, v := range m {
		f(k, v)
	}
}

func safeEach[K comparable, V any](m map[K]V, f func(K, V)) { // want safeEach:"panics\\(protected runs\\[1\\]\\)"
	defer logPanic()
	for k, v := range m {
		f(k, v)
	}
}

var _ http.Handler = (*Cache[string, int])(nil)

func seq(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

// Range-over-func loop bodies are synthetic functions: they are part of
// the handler.
func rangeFunc(w http.ResponseWriter, r *http.Request) {
	for i := range seq(3) {
		go func() {
			defer logPanic()
			_ = i
		}()
		if i == 1 {
			go audit(r) // want `goroutine started in HTTP handler rangeFunc has no deferred recover`
		}
	}
}

// A goroutine whose defer is in a range-over-func body still defers onto
// its own stack.
func rangeDefer(w http.ResponseWriter, r *http.Request) {
	go func() {
		for range seq(1) {
			defer logPanic()
		}
		audit(r)
	}()
}

// defer cancel() is not a recover: a cancel function never recovers.
func cancelOnly(w http.ResponseWriter, r *http.Request) {
	go func() { // want `goroutine started in HTTP handler cancelOnly has no deferred recover`
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		audit(r.WithContext(ctx))
	}()
	go func() { // want `goroutine started in HTTP handler cancelOnly has no deferred recover`
		defer timer("job")()
		audit(r)
	}()
}

func timer(string) func() { return func() {} }
