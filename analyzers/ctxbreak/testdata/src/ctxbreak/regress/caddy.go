package regress

import (
	"context"
	"net/http"
)

func exitProcess(ctx context.Context) {}

// caddy admin.go:1178 (handleStop): the handler of the admin API's /stop
// shuts the process down, admin server included, which ends the request's
// context: the shutdown must not run under it.
func handleStop(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	exitProcess(context.Background())
	return nil
}

type server struct{ srv *http.Server }

type tx struct{}

func (tx) Rollback(ctx context.Context) error            { return nil }
func (tx) Exec(ctx context.Context, q string) error      { return nil }
func releaseLock(ctx context.Context, name string) error { return nil }

// The same for other teardown: shutdown, rollback, lock release.
func (s *server) handleQuit(w http.ResponseWriter, r *http.Request) {
	s.srv.Shutdown(context.Background())
}

func update(ctx context.Context, t tx) error {
	if err := t.Exec(ctx, "UPDATE a SET b = 1"); err != nil {
		t.Rollback(context.Background())
		return err
	}
	releaseLock(context.Background(), "a")
	return nil
}

// A fresh root used for teardown and for work: the work is reported.
func teardownAndWork(ctx context.Context, t tx) error {
	bg := context.Background() // want `in teardownAndWork, which has ctx`
	defer t.Rollback(bg)
	return t.Exec(bg, "UPDATE a SET b = 2")
}
