// Package old is written for Go 1.20, before context.WithoutCancel: the
// copy is reported, but there is no fix to suggest.
package old

import "context"

type key struct{}

func work(ctx context.Context) error { return nil }

func copyOld(ctx context.Context) {
	go work(context.WithValue(context.Background(), key{}, ctx.Value(key{}))) // want `in copyOld gets values copied from ctx`
}
