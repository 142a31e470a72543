package request

import (
	"context"
	"net/http"
)

// The shape of mark3labs/mcp-go#248: the session's context is derived from
// r.Context() by a method that returns a context, the handler answers 202
// and processes the message in a goroutine it does not wait for.
type mcpServer struct{}

type sessionKey struct{}

func (s *mcpServer) WithContext(ctx context.Context, session string) context.Context {
	return context.WithValue(ctx, sessionKey{}, session)
}

func (s *mcpServer) HandleMessage(ctx context.Context, msg []byte) error { return notify(ctx) }

type sseServer struct{ server *mcpServer }

func (s *sseServer) handleMessage(w http.ResponseWriter, r *http.Request) {
	ctx := s.server.WithContext(r.Context(), r.URL.Query().Get("sessionId"))
	w.WriteHeader(http.StatusAccepted)
	go func() { // want `^r\.Context\(\) used by a goroutine that \(\*sseServer\)\.handleMessage does not wait for`
		_ = s.server.HandleMessage(ctx, nil)
	}()
}

// The fix of mcp-go#248 and of mcp-go#897: detach with WithoutCancel.
func (s *sseServer) handleMessageFixed(w http.ResponseWriter, r *http.Request) {
	ctx := s.server.WithContext(context.WithoutCancel(r.Context()), r.URL.Query().Get("sessionId"))
	w.WriteHeader(http.StatusAccepted)
	go func() {
		_ = s.server.HandleMessage(ctx, nil)
	}()
}

// Generic helpers and range-over-func bodies on the way.
func each[T any](xs []T) func(func(T) bool) {
	return func(yield func(T) bool) {
		for _, x := range xs {
			if !yield(x) {
				return
			}
		}
	}
}

func startAll[T any](ctx context.Context, xs []T) {
	for x := range each(xs) {
		go func() { _ = index(ctx, "x"); _ = x }() // want `^r\.Context\(\) of handleGeneric used by a goroutine that startAll does not wait for`
	}
}

func handleGeneric(w http.ResponseWriter, r *http.Request) {
	startAll(r.Context(), []int{1, 2})
}
