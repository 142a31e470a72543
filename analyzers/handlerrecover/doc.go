// Package handlerrecover reports goroutines started from HTTP handlers
// without a deferred recover.
//
// # Analyzer handlerrecover
//
// handlerrecover: report goroutines started from HTTP handlers without a deferred recover
//
// net/http recovers a panic only in the goroutine that serves the request
// (conn.serve defers a recover, logs the panic and closes the connection).
// A panic in a goroutine the handler starts is not recovered by anyone: it
// kills the process, and every other request in flight with it. Recovery
// middleware does not help either; it runs in the handler's goroutine too.
//
// handlerrecover reports, at the go statement, each goroutine started by an
// HTTP handler, or by a function of the handler's package the handler calls
// or starts (up to two calls down; function literals are their maker's
// code), whose function does not defer a recover:
//
//   - handlers are the functions, methods and function literals with the
//     signature func(http.ResponseWriter, *http.Request): ServeHTTP methods,
//     http.HandlerFunc literals, http.HandleFunc callbacks, methods
//     registered as method values;
//   - a goroutine is protected when its function defers a function that
//     calls recover() itself (a literal or a named helper, in this package
//     or another one), or runs through a wrapper that calls its func
//     argument under such a defer (go safe.Run(f), or a goroutine body that
//     calls safe.Run(f)), wrappers of wrappers included;
//   - defer func() { logPanic() }(), where only logPanic calls recover, and
//     defer recover() are reported as what they are: recover returns nil
//     unless the deferred function itself calls it, so neither stops a
//     panic;
//   - a goroutine helper of the package, a function that starts its func
//     argument in a goroutine without a recover (func background(f func())
//     { go f() }, a literal calling f, a variadic ...func(), a pool's Go
//     method, helpers of helpers), is reported at its go statement when
//     code a handler reaches hands it a function that can panic (one that
//     neither recovers nor does only standard-library work), naming the
//     handler's call; one finding per go statement, further calls as
//     related information. Helpers of other packages are theirs.
//
// Not reported: goroutines running a function value or an interface method
// (what runs is not known), standard-library functions started directly
// (go io.Copy(dst, src)) and goroutine bodies that do nothing but
// standard-library work or call back function values handed to them (a
// watcher, a copier: go io.Copy written out; the same answer whether such
// a function is started directly or called in a literal), goroutines that
// only start recovering goroutines (go safe.Go(f): a starter), go
// statements in functions no
// handler reaches and in _test.go files, and goroutines that defer a
// function value lifeguard cannot see into.
//
// Functions that recover, are protected, run a func parameter under
// recover, or start it in a recovering goroutine are exported as facts
// (facts.RecoverFact) for their importers.
//
// A finding is suppressed by //lifeguard:ignore handlerrecover <reason> on
// its line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:handlerrecover or
// //nolint:lifeguard. Findings in generated files are dropped.
//
// The flags -handlerrecover.recover-funcs and -handlerrecover.wrapper-funcs
// (pkg/path.Func,(*pkg/path.T).Method) name further functions that stop a
// panic when deferred (they call recover) and that run their func arguments
// under a deferred recover, for code lifeguard cannot see;
// -handlerrecover=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/handlerrecover.md.
package handlerrecover

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer handlerrecover" section above.
var doc = analyzerdoc.Extract(docSource, "handlerrecover")
