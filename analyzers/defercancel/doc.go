// Package defercancel reports cancellable contexts whose lifetime is tied to
// the wrong place by defer.
//
// # Analyzer defercancel
//
// defercancel: report contexts created inside deferred functions that bound nothing or derive from a context that may already be cancelled, and defer cancel() piling up in loops
//
// It reports:
//
//   - context.WithCancel, WithTimeout, WithDeadline (or a Cause variant)
//     called inside a deferred function (the function literal or
//     same-package function a defer statement calls), or deferred itself
//     (defer context.WithTimeout(...)), at the call: the context is made
//     as the function returns, so it bounds none of the work that ran
//     before. A deferred cleanup that makes a context for its own work
//     (ctx, cancel := context.WithTimeout(context.Background(), d); defer
//     cancel(); srv.Shutdown(ctx)) is correct and is not reported: only a
//     context that governs nothing in the deferred function is — one that is
//     discarded, only compared, or assigned to a variable of the enclosing
//     function that nothing reads afterwards. A context used only through
//     Done() or Err() (a select that waits for a worker, at most so long)
//     governs that wait. This is narrower than "any
//     With* call in a deferred function", on purpose. A context stored in a
//     field, global or map, returned, sent or captured is handed off and not
//     reported; a cancel assigned to _ is left to go vet's lostcancel.
//   - defer cancel() (directly, a deferred function literal that calls
//     cancel, or a deferred same-package function given cancel that calls
//     it) in a loop whose iterations each make a new cancellable context,
//     at the defer statement: control goes from the defer back to the
//     With* call (or the helper call) that makes the context without
//     calling cancel, so the contexts and their timers pile up until the
//     function returns. The body of a range-over-func loop counts as a
//     loop: its defers run when the enclosing function returns.
//   - a deferred cleanup's context.With* call (one whose context the
//     cleanup passes to its calls) whose parent is the enclosing function's
//     own cancellable context, at the call: a context.Context parameter,
//     r.Context() of an *http.Request parameter, a context from
//     signal.NotifyContext or errgroup.WithContext, or one derived from
//     them by With* and WithValue, on every path. The function often
//     returns because that context was cancelled, and then the cleanup's
//     context is done as it is made: the rollback, release or Shutdown
//     fails at once with context canceled. The fix, suggested from Go
//     1.21 on, derives it from context.WithoutCancel(ctx). Not reported:
//     parents rooted in Background or TODO, through WithoutCancel, or that
//     are not the function's own (a field, a helper's result, a request it
//     made), and cleanups that only wait on the context.
//
// The loop rule does not report a defer when every path after it leaves the
// loop (return, break, goto out, panic, os.Exit, log.Fatal); when the
// context was made before the loop; when cancel is also called on every
// path to the next iteration; when the context is made at most once (by a
// one-shot *time.Timer, or behind a nil check of the variable it sets); when
// the loop goes round only once the context is done (err ==
// context.DeadlineExceeded, ctx.Err() != nil, <-ctx.Done()); when the
// context is meant to live until the function returns (given to a
// goroutine, stored, sent, governing a started child process) or its cancel
// is managed elsewhere (stored, handed to a function; but a cancel stored in
// a map entry that the same iteration deletes again on every path, with
// the map read nowhere in the function, is not handed off: once deleted
// nobody but the defer can call it); and in _test.go files, where the test's end bounds
// what can pile up. These exemptions go beyond the design's "every path
// leaves the loop", for precision.
//
// Helpers that return the cancel function of a context they make (directly
// or through another such helper), in this package or another, count as
// making a new context at each call (a fact on the helper).
//
// A finding is suppressed by //lifeguard:ignore defercancel <reason> on its
// line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:defercancel or
// //nolint:lifeguard. Findings in generated files are dropped.
//
// The flag -defercancel.cancel-funcs=pkg/path.Func,(*pkg/path.T).Method
// names further functions whose cancel-function results belong to a context
// each call makes, for code defercancel cannot see into (an interface
// method, a function value); -defercancel=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/defercancel.md.
package defercancel

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer defercancel" section above.
var doc = analyzerdoc.Extract(docSource, "defercancel")
