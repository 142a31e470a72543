package request

import (
	"context"
	"net/http"
)

// Started in a helper the handler calls with the request's context: the
// finding is at the helper's go statement and names the handler.
func (s *Server) startIndex(ctx context.Context, id string) {
	go index(ctx, id) // want `^r\.Context\(\) of \(\*Server\)\.handleHelper used by a goroutine that \(\*Server\)\.startIndex does not wait for \(\(\*Server\)\.handleHelper calls it at helpers\.go:18\): net/http cancels it when the handler returns, so the work fails with context canceled part-way; use context\.WithoutCancel\(ctx\) with a timeout of its own$`
}

func (s *Server) handleHelper(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		return
	}
	s.startIndex(r.Context(), r.FormValue("id"))
}

// The helper is given the request.
func enqueue(r *http.Request) {
	go func() { // want `^r\.Context\(\) of handleEnqueue used by a goroutine that enqueue does not wait for \(handleEnqueue calls it at helpers\.go:29\)`
		_ = notify(r.Context())
	}()
}

func handleEnqueue(w http.ResponseWriter, r *http.Request) {
	enqueue(r)
}

// The goroutine's own helper reads the context from the request.
func process(r *http.Request) { _ = notify(r.Context()) }

func handleProcess(w http.ResponseWriter, r *http.Request) {
	go process(r) // want `^r\.Context\(\) used by a goroutine that handleProcess does not wait for`
}
