// Package reqvalues reads values from a context, as request-ID and auth
// middleware packages do.
package reqvalues

import "context"

type key struct{}

func IDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}
