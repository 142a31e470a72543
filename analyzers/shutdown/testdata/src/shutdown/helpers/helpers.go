// Package helpers wraps an http.Server's lifecycle for other packages.
package helpers

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Stop gives its context to Shutdown.
func Stop(ctx context.Context, srv *http.Server) error { // want Stop:`shutdown\(calls-shutdown shutdown-ctx\[0\]\)`
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return srv.Shutdown(ctx)
}

// GracefulStop bounds its Shutdown itself.
func GracefulStop(srv *http.Server) error { // want GracefulStop:`shutdown\(calls-shutdown\)`
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// Serve returns ListenAndServe's error as it is.
func Serve(srv *http.Server) error { // want Serve:`shutdown\(serve-err\(srv.ListenAndServe\)\)`
	return srv.ListenAndServe()
}

// ServeChecked treats ErrServerClosed as success.
func ServeChecked(srv *http.Server) error {
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// A Server keeps one.
type Server struct{ srv *http.Server }

// Run wraps Serve.
func (s *Server) Run() error { // want Run:`shutdown\(serve-err\(srv.ListenAndServe\)\)`
	return Serve(s.srv)
}

// A Reader exports metrics on a timer; Stop stops the timer, and exports
// nothing (go.opencensus.io's IntervalReader).
type Reader struct{ quit chan bool }

// Stop stops the reader.
func (r *Reader) Stop() { r.quit <- true }
