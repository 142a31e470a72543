package regress

import (
	"context"
	"time"
)

type service struct{}

func (service) RespondActivityTaskFailed(ctx context.Context, taskToken []byte) error { return nil }

func visitPayloads(ctx context.Context, details []byte) error   { return nil }
func recordHeartbeat(ctx context.Context, details []byte) error { return nil }

// temporal sdk internal/internal_task_handlers.go:2329 (internalHeartBeat):
// when a call given ctx fails, the failure may be ctx's own timeout; the
// failure is reported under a fresh timeout so that the report gets through.
func internalHeartBeat(ctx context.Context, s service, token, details []byte) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := visitPayloads(ctx, details); err != nil {
		failCtx, failCancel := context.WithTimeout(context.Background(), time.Second)
		defer failCancel()
		_ = s.RespondActivityTaskFailed(failCtx, token)
		return err
	}
	return recordHeartbeat(ctx, details)
}

// An error from a call that had no context says nothing about the caller's:
// the fresh root on that error path is reported.
func errorWithoutCtx(ctx context.Context, s service, token []byte) error {
	if err := checkToken(token); err != nil {
		return s.RespondActivityTaskFailed(context.Background(), token) // want `in errorWithoutCtx, which has ctx`
	}
	return nil
}

func checkToken(token []byte) error { return nil }
