// Package retry: a failed call done again with a fresh root.
package retry

import (
	"context"
	"database/sql"
	"net/http"
	"time"
)

type client struct{ db *sql.DB }

func (c *client) fetch(ctx context.Context, key string) (string, error) { return "", nil }

func put(ctx context.Context, key, val string) error { return nil }

func record(ctx context.Context, err error) {}

// The retry of a method, on the error path.
func (c *client) get(ctx context.Context, key string) (string, error) {
	v, err := c.fetch(ctx, key)
	if err != nil {
		v, err = c.fetch(context.Background(), key) // want `^context\.Background\(\) in \(\*client\)\.get, which has ctx, retries c\.fetch after it failed at retry\.go:21: the retry ignores the caller's cancellation and deadline, and runs even when the failure was that cancellation; pass ctx, or context\.WithoutCancel\(ctx\) with a timeout of its own if the retry must outlive it$`
	}
	return v, err
}

// A function, the retry given a timeout rooted in TODO.
func store(ctx context.Context, key, val string) error {
	if err := put(ctx, key, val); err != nil {
		tctx, cancel := context.WithTimeout(context.TODO(), time.Second) // want `^context\.TODO\(\) in store, which has ctx, retries put after it failed at retry\.go:30`
		defer cancel()
		return put(tctx, key, val)
	}
	return nil
}

// A query retried on the database, in a handler.
func (c *client) handle(w http.ResponseWriter, r *http.Request) {
	_, err := c.db.ExecContext(r.Context(), "UPDATE t SET n = n + 1")
	if err != nil {
		_, err = c.db.ExecContext(context.Background(), "UPDATE t SET n = n + 1") // want `which has r\.Context\(\), retries c\.db\.ExecContext after it failed at retry\.go:40`
	}
}
