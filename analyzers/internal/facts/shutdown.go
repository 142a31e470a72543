package facts

import (
	"fmt"
	"strings"
)

// ShutdownFact is the shutdown analyzer's fact about a function: what its
// callers must know of the http.Server lifecycle it wraps.
type ShutdownFact struct {
	// CallsShutdown: the function calls (*http.Server).Shutdown, itself or
	// through a function that does; a package that calls it makes its
	// Serve calls return http.ErrServerClosed.
	CallsShutdown bool
	// ShutdownCtx: bit i is set when the function's parameter i (the
	// receiver of a method being parameter 0) is the context a Shutdown
	// gets, through contexts that add no deadline (WithCancel, WithValue):
	// a caller that passes a context with no deadline is reported there.
	ShutdownCtx uint64
	// ServeErr: the function returns the error of a Serve call (a
	// ListenAndServe, ListenAndServeTLS, Serve or ServeTLS of an
	// http.Server, or of a function with this fact) without comparing it
	// with http.ErrServerClosed: after Shutdown it returns ErrServerClosed.
	ServeErr bool
	// ServeName is the Serve call ServeErr is about, as messages name it
	// ("srv.ListenAndServe").
	ServeName string
}

func (*ShutdownFact) AFact() {}

func (f *ShutdownFact) String() string {
	var parts []string
	if f.CallsShutdown {
		parts = append(parts, "calls-shutdown")
	}
	if f.ShutdownCtx != 0 {
		parts = append(parts, fmt.Sprintf("shutdown-ctx%v", bitList(f.ShutdownCtx)))
	}
	if f.ServeErr {
		parts = append(parts, "serve-err("+f.ServeName+")")
	}
	return "shutdown(" + strings.Join(parts, " ") + ")"
}

// Empty reports whether the fact says nothing.
func (f *ShutdownFact) Empty() bool { return !f.CallsShutdown && f.ShutdownCtx == 0 && !f.ServeErr }
