// Package ctxbreak reports broken cancellation (and tracing) chains: work
// rooted in context.Background() or context.TODO() by a function that has a
// cancellable context at hand, and a request's context carried by a
// goroutine past its request.
//
// # Analyzer ctxbreak
//
// ctxbreak: report work rooted in context.Background or TODO where a caller or request context exists, and request contexts carried into goroutines that outlive the handler
//
// A function has a context in scope when it declares a named parameter
// (not _) of an interface type that implements context.Context, or of a type
// with a method Context() context.Context (*http.Request, gRPC streams,
// message types, cobra commands: the context is p.Context()). A function
// literal called where it is defined, the body of a range-over-func loop,
// and a literal run in a goroutine the function waits for on every path
// before it returns (given to a Go or TryGo method whose receiver has a
// Wait method, then Wait on that receiver: errgroup.Group,
// sync.WaitGroup.Go, pools; or started with go, calling Done on a
// sync.WaitGroup the function then Waits on, or sending on or closing a
// channel the function then receives from) see the context of the function
// around them. Any other function literal started with go, deferred, or
// handed to another function (context.AfterFunc, time.AfterFunc, a group
// waited for elsewhere, sync.Once, singleflight...) runs at a time ctxbreak
// cannot see: it has no context unless it declares a context parameter.
//
// ctxbreak reports, at the Background()/TODO() call:
//
//   - a fresh root used for work in a function with a context in scope: the
//     root, or a context derived from it (WithValue, WithCancel, WithTimeout,
//     WithDeadline, their Cause variants, or any call that takes it and
//     returns a context), is passed to a call that runs now, or a context
//     derived from it is waited on through its Done channel (a receive, or
//     a blocking select with no case on the Done channel of a context from
//     outside). The suggested fix replaces the call with the context in
//     scope;
//   - a retry with a fresh root: on the error path of a call given the
//     context in scope, the same call (function or method, receiver and
//     arguments but the context) done again with the root, which the
//     error-path exemption below does not cover. The retry ignores the
//     caller's deadline and redoes work the caller may have cancelled;
//   - values copied from a context in scope into a fresh root,
//     context.WithValue(context.Background(), k, ctx.Value(k)), directly,
//     through nested WithValue calls or through locals, even in a goroutine:
//     the copy drops the cancellation whether or not that was meant, and
//     every value not copied. The suggested fix (for Go 1.21 and later)
//     replaces the root with context.WithoutCancel(ctx).
//
// and, at the go statement:
//
//   - a request's context carried past its request: a goroutine started by
//     an HTTP handler (a function, method or literal with the signature
//     (http.ResponseWriter, *http.Request)), or by a function of the
//     package the handler passes the request or its context to (two calls
//     deep), does work with r.Context() or a context derived from it that
//     keeps its cancellation (not through WithoutCancel; work as above, in
//     the goroutine or the package's functions it calls, or r.Context()
//     read from a request it was given), and the function that starts it
//     does not wait for it: not joined on every path, and not a goroutine
//     that signals (a send, a close, WaitGroup.Done, a channel or WaitGroup
//     argument) started by a function that receives, selects or Waits.
//     net/http cancels the context when the handler returns, so the work
//     fails with context canceled part-way. Watchers (ctx.Done(), Err,
//     Value, context.AfterFunc, logging) and streaming handlers (Flush,
//     Hijack, a websocket Upgrade or Accept of the ResponseWriter) are not
//     reported. The fix named is context.WithoutCancel(r.Context()) with a
//     timeout of its own, as for the first rule.
//
// Deliberate detachment is not reported: a root only given to a go
// statement, a goroutine literal, a deferred call or literal, or a teardown
// call (Shutdown, Stop, Close, Rollback, Unlock, Flush...); stored in a
// field, global or map, returned or sent (a component's own lifetime),
// given to a function of the package that only keeps it, or to a call whose
// results are only kept (a token source a transport keeps); a root created
// once the caller's context may be over (dominated by a receive from a
// Done() channel or the body of a select case on it, inside if ctx.Err() !=
// nil, err == context.Canceled, errors.Is(err, context.DeadlineExceeded), or
// on the error path of a call given the context, unless the root retries
// that call). Log and metric calls are
// not work: they read values from their context and never wait on it.
//
// Never reported: context.WithoutCancel(ctx) and context.WithValue(parent,
// ...) (they keep the parent's values, and WithValue its cancellation); nil
// fallbacks (a root merged with another context, or created where a context
// was found to be nil); main.main and init functions, _test.go files,
// test-support packages (httptest, testutil), functions taking *testing.T,
// *testing.B, *testing.F or testing.TB and the literals inside them;
// functions with no context.
//
// The rules look at one function and the closures it runs in place (and,
// for the "only keeps it" question, the package's own functions): no
// cross-package facts are needed, and ctxbreak exports none. Group types
// of any package are judged by their Go and Wait methods.
//
// A finding is suppressed by //lifeguard:ignore ctxbreak <reason> on its
// line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:ctxbreak or
// //nolint:lifeguard; context.WithoutCancel(ctx) says the same in code and
// keeps the values. Findings in generated files are dropped.
//
// ctxbreak has no flags of its own; -ctxbreak=false turns it off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/ctxbreak.md.
package ctxbreak

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer ctxbreak" section above.
var doc = analyzerdoc.Extract(docSource, "ctxbreak")
