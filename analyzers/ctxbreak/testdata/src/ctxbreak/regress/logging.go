// Package regress holds code that ctxbreak once reported wrongly, each case
// named after where it was found.
package regress

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/metric"
)

// Logging is go-redis's internal logger interface.
type Logging interface {
	Printf(ctx context.Context, format string, v ...interface{})
}

var Logger Logging

func setNetConn(ctx context.Context) error { return nil }

// go-redis maintnotifications/handoff_worker.go:446, manager.go:266: a log
// line written with a fresh root in a function that has ctx. Logging reads
// values from its context and never waits on it: no cancellation is broken.
func performHandoff(ctx context.Context, connID uint64) error {
	Logger.Printf(context.Background(), "applying relaxed timeout to %d", connID)
	slog.InfoContext(context.Background(), "handoff", "conn", connID)
	slog.Default().Log(context.Background(), slog.LevelInfo, "handoff")
	return setNetConn(ctx)
}

var handoffs metric.Int64Counter

// The same for metrics: OpenTelemetry instruments take a context for
// exemplars and baggage.
func countHandoff(ctx context.Context) {
	handoffs.Add(context.Background(), 1)
}

type auditLog struct{}

func (auditLog) Write(ctx context.Context, rec string) error { return nil }

// A log that is data (an audit trail written to storage) is work: reported.
func audit(ctx context.Context, a auditLog) error {
	return a.Write(context.Background(), "login") // want `in audit, which has ctx`
}
