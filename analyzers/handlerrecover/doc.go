// Package handlerrecover reports goroutines started from HTTP handlers
// without a deferred recover.
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
//     panic.
//
// Not reported: goroutines running a function value or an interface method
// (what runs is not known), standard-library functions started directly
// (go io.Copy(dst, src)) and goroutine bodies that do nothing but
// standard-library work or call back function values handed to them (a
// watcher, a copier: go io.Copy written out), go statements in functions no
// handler reaches and in _test.go files, and goroutines that defer a
// function value lifeguard cannot see into.
//
// Functions that recover, are protected, or run a func parameter under
// recover are exported as facts (facts.RecoverFact) for their importers.
// The flags -recover-funcs and -wrapper-funcs name further helpers and
// wrappers, for code lifeguard cannot see.
package handlerrecover
