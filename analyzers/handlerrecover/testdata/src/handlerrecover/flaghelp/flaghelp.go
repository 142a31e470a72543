// Package flaghelp has a helper and a wrapper lifeguard cannot see work:
// their recover happens elsewhere (imagine assembly, a plugin, a C call).
// handlerrecover trusts them only when the flags name them.
package flaghelp

// Guard stops a panic when deferred (named by -recover-funcs).
func Guard() {}

// Go runs f under recover (named by -wrapper-funcs).
func Go(f func()) { f() }

// Pool's Submit runs f under recover (named by -wrapper-funcs).
type Pool struct{}

func (*Pool) Submit(f func()) { f() }
