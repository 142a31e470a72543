// Package fakestest is test support (its name ends in "test" and it imports
// testing, like grpctest): not reported.
package fakestest

import (
	"context"
	"testing"
)

func fetch(ctx context.Context) error { return ctx.Err() }

func Refresh(ctx context.Context) error { return fetch(context.Background()) }

func Helper(t testing.TB) { t.Helper() }
