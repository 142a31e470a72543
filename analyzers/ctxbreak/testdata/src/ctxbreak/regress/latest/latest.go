// Package latest ends in the letters "test" but is no test-support package:
// it imports no testing. Its breaks are reported.
package latest

import "context"

func fetch(ctx context.Context) error { return ctx.Err() }

func Refresh(ctx context.Context) error {
	return fetch(context.Background()) // want `context\.Background\(\) in Refresh, which has ctx`
}
