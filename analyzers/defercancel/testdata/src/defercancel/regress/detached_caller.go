package regress

import (
	"context"
	"net/http"
	"time"
)

func transcode(ctx context.Context, name string) error { return ctx.Err() }

type server struct{}

// The demo's HandleArchiveDetached (testdata/demo/api/correct.go): the
// unexported helper's only caller detaches the request's context already, so
// the cleanup's parent cannot be cancelled.
func (s *server) handleArchive(w http.ResponseWriter, r *http.Request) {
	_ = s.archiveBounded(context.WithoutCancel(r.Context()), "x")
}

func (s *server) archiveBounded(ctx context.Context, name string) error {
	defer func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = transcode(ctx, name)
	}()
	return nil
}

// Still reported: one caller passes the request's own context.
func (s *server) handleBoth(w http.ResponseWriter, r *http.Request) {
	_ = s.archiveSometimes(context.WithoutCancel(r.Context()), "x")
	_ = s.archiveSometimes(r.Context(), "y")
}

func (s *server) archiveSometimes(ctx context.Context, name string) error {
	defer func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // want `derives from ctx, which may already be cancelled when \(\*server\).archiveSometimes returns`
		defer cancel()
		_ = transcode(ctx, name)
	}()
	return nil
}

// Still reported: an unexported function also used as a value, whose
// callers are not all known.
func archiveValue(ctx context.Context, name string) error {
	defer func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // want `derives from ctx`
		defer cancel()
		_ = transcode(ctx, name)
	}()
	return nil
}

var archiveFunc = archiveValue

func callValue() { _ = archiveValue(context.Background(), "z") }

// Not reported: a generic helper whose only caller passes Background.
func archiveGeneric[T any](ctx context.Context, v T) error {
	defer func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = transcode(ctx, "generic")
	}()
	return nil
}

func callGeneric() { _ = archiveGeneric(context.Background(), 1) }
