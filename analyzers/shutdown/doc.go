// Package shutdown reports graceful shutdowns that are not graceful.
//
// # Analyzer shutdown
//
// shutdown: report Shutdown calls that cannot end, Serve errors that end the process when Shutdown begins, signal channels closed while signals are delivered to them, and exits that skip deferred cleanups
//
// A service that shuts down gracefully stops taking signals, drains its
// connections with http.Server's Shutdown, bounds how long that may take,
// and runs its cleanups before it exits. Each rule below is a way one of
// those steps silently does not happen.
//
// It reports:
//
//   - (*http.Server).Shutdown(ctx) with a context that has no deadline
//     (Background or TODO, or only WithCancel, WithValue,
//     signal.NotifyContext or errgroup.WithContext of them, or
//     WithoutCancel of any): one connection that never goes idle blocks it
//     for ever. Also with a context that is already done (its Done channel
//     was received from on every path to the call, as after waiting for the
//     signal of a NotifyContext): Shutdown closes the listeners and returns
//     at once, without waiting for the requests in flight. Reported at the
//     Shutdown call, or at the call of a helper that gives its context to
//     one; not in test files, which the test timeout bounds;
//   - the error of an http.Server's ListenAndServe, ListenAndServeTLS,
//     Serve or ServeTLS reaching os.Exit, a Fatal logger, log.Panic or
//     panic, given to it or tested only against nil on the way, in a
//     package that calls Shutdown: Shutdown makes Serve return
//     http.ErrServerClosed at once, so the process exits before the
//     requests in flight drain (through an errgroup's Wait, every graceful
//     shutdown ends as a failure). Reported at the Serve call;
//   - close(c) of a channel given to signal.Notify, with no signal.Stop(c)
//     before it on some path (for a deferred close: after the defer, or
//     deferred after it): a signal that arrives afterwards is sent on the
//     closed channel, and the send panics. Reported at the close;
//   - os.Exit, or a Fatal logger, or a function of the package that always
//     exits, reached with a deferred cleanup of the same function pending
//     whose work outlives the process: a Shutdown, Flush or Sync, the Stop
//     of a profiler or tracer (pkg/profile, dd-trace-go; a Stop of the
//     package is looked into), the Close of a writer that buffers (not of a file or a
//     connection: the kernel has their data and closes them), a child's Kill
//     or Wait, pprof.StopCPUProfile, os.Remove or RemoveAll, a func value
//     named shutdown, flush, cleanup or teardown, or a deferred function
//     that calls one. Exit runs no deferred call. Reported at the exit.
//
// Not reported: a deferred cancel or Unlock before an exit (its work ends
// with the process); t.Fatal (it runs the test's defers); Serve errors
// compared with anything but nil, or given to errors.Is; Serve errors sent
// on a channel; http.ListenAndServe, whose server no one can shut down; a
// Shutdown context from a parameter, a field, or a timeout that may be
// off.
//
// Across functions: a function that gives its context parameter to
// Shutdown, returns a Serve error untested, or calls Shutdown exports a
// fact, and its callers are checked as if they made the calls themselves;
// a wrapper that tests for http.ErrServerClosed passes no Serve error on.
//
// A finding is suppressed by //lifeguard:ignore shutdown <reason> on its
// line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:shutdown or
// //nolint:lifeguard. Findings in generated files are dropped.
// -shutdown=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/shutdown.md.
package shutdown

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer shutdown" section above.
var doc = analyzerdoc.Extract(docSource, "shutdown")
