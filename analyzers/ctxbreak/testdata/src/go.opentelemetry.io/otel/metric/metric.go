// Package metric is a stand-in for OpenTelemetry's metric API, for the
// ctxbreak regression tests.
package metric

import "context"

// Int64Counter counts.
type Int64Counter interface {
	Add(ctx context.Context, incr int64)
}
