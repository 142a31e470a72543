package retry

import (
	"context"
	"errors"
)

// Recording the failure is not a retry.
func recordFailure(ctx context.Context, key, val string) error {
	err := put(ctx, key, val)
	if err != nil {
		record(context.Background(), err)
	}
	return err
}

// The same function with other arguments: a compensation, not a retry.
func compensate(ctx context.Context, key, val string) error {
	if err := put(ctx, key, val); err != nil {
		put(context.Background(), key+".failed", val)
		return err
	}
	return nil
}

// Another receiver: a fallback.
func fallback(ctx context.Context, primary, secondary *client, key string) (string, error) {
	v, err := primary.fetch(ctx, key)
	if err != nil {
		return secondary.fetch(context.Background(), key)
	}
	return v, nil
}

// Going on after a test that the caller cancelled: a decision to outlive
// the cancellation (the detach-for-cleanup idiom), not reported.
func finishAfterCancel(ctx context.Context, key, val string) error {
	err := put(ctx, key, val)
	if errors.Is(err, context.Canceled) {
		return put(context.Background(), key, val)
	}
	return err
}

func finishAfterErr(ctx context.Context, key, val string) error {
	err := put(ctx, key, val)
	if err != nil && ctx.Err() != nil {
		return put(context.Background(), key, val)
	}
	return err
}

// A retry with ctx is fine.
func retryCtx(ctx context.Context, key, val string) error {
	err := put(ctx, key, val)
	if err != nil {
		err = put(ctx, key, val)
	}
	return err
}

// A retry where the first call had a fresh root too: no caller context to
// lose there, and the function has none.
func noCtx(key, val string) error {
	err := put(context.Background(), key, val)
	if err != nil {
		err = put(context.Background(), key, val)
	}
	return err
}
