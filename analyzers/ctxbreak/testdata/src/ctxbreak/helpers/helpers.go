// Package helpers holds test helpers outside _test.go files, in a package
// whose name does not say so: functions that take a *testing.T,
// *testing.B, *testing.F or testing.TB are test code.
package helpers

import (
	"context"
	"testing"
)

func work(ctx context.Context) error { return nil }

func MustWork(t *testing.T, ctx context.Context) {
	if err := work(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func Eventually(tb testing.TB, ctx context.Context, f func(context.Context) bool) {
	func() {
		f(context.Background())
	}()
}

func Bench(b *testing.B, ctx context.Context) { work(context.Background()) }

func Fuzz(f *testing.F, ctx context.Context) { work(context.Background()) }
