// Package request: goroutines a handler starts and does not wait for, doing
// work with the request's context, which net/http cancels when the handler
// returns.
package request

import (
	"context"
	"net/http"
	"time"
)

type Server struct {
	ctx context.Context // the server's lifetime
}

// index and notify do work with their context: a request that the
// cancellation aborts.
func index(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://indexer/"+id, nil)
	if err != nil {
		return err
	}
	_, err = http.DefaultClient.Do(req)
	return err
}

func notify(ctx context.Context) error { return index(ctx, "notify") }

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() { // want `^r\.Context\(\) used by a goroutine that \(\*Server\)\.handleUpload does not wait for: net/http cancels it when the handler returns at positive\.go:35, so the work fails with context canceled part-way; use context\.WithoutCancel\(r\.Context\(\)\) with a timeout of its own$`
		_ = index(ctx, r.FormValue("id"))
	}()
	w.WriteHeader(http.StatusAccepted)
	return
}

// A named function started with the context: the same.
func handleNamed(w http.ResponseWriter, r *http.Request) {
	go index(r.Context(), "x") // want `^r\.Context\(\) used by a goroutine that handleNamed does not wait for: net/http cancels it when the handler returns at the end of the function`
}

// Derived contexts keep the request's cancellation: WithTimeout, WithValue.
func handleDerived(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	ctx = context.WithValue(ctx, key{}, "v")
	go func() { // want `^r\.Context\(\) used by a goroutine that handleDerived does not wait for`
		defer cancel()
		_ = notify(ctx)
	}()
}

type key struct{}

// The request itself handed to the goroutine: r.Context() read inside it is
// the same context.
func handleRequestArg(w http.ResponseWriter, r *http.Request) {
	go func(req *http.Request) { // want `^r\.Context\(\) used by a goroutine that handleRequestArg does not wait for`
		_ = notify(req.Context())
	}(r)
}

// r captured and read inside the goroutine.
func handleCaptured(w http.ResponseWriter, r *http.Request) {
	go func() { // want `^r\.Context\(\) used by a goroutine that handleCaptured does not wait for`
		_ = notify(r.Context())
	}()
}

// The goroutine calls a helper of the package with its context.
func audit(ctx context.Context, what string) {
	_ = notify(ctx)
}

func handleViaHelper(w http.ResponseWriter, r *http.Request) {
	go func() { // want `^r\.Context\(\) used by a goroutine that handleViaHelper does not wait for`
		audit(r.Context(), "upload")
	}()
}

// An http.HandlerFunc literal and a ServeHTTP method are handlers too.
func routes(mux *http.ServeMux) {
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		go audit(r.Context(), "a") // want `^r\.Context\(\) used by a goroutine that the function literal at positive\.go:83 does not wait for`
	})
}

type api struct{}

func (api) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	go audit(req.Context(), "b") // want `^req\.Context\(\) used by a goroutine that api\.ServeHTTP does not wait for: .*; use context\.WithoutCancel\(req\.Context\(\)\) with a timeout of its own$`
}

// A channel the goroutine sends on, that nothing receives from: not waited
// for.
func handleUnread(w http.ResponseWriter, r *http.Request) {
	results := make(chan error, 1)
	go func() { // want `^r\.Context\(\) used by a goroutine that handleUnread does not wait for`
		results <- notify(r.Context())
	}()
}

// The variable is re-assigned, to contexts that all keep the request's
// cancellation.
func handleReassignedDerived(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.FormValue("slow") != "" {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Minute)
		defer cancel()
	}
	go func() { _ = notify(ctx) }() // want `^r\.Context\(\) used by a goroutine that handleReassignedDerived does not wait for`
}
