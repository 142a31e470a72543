// Package traceapi tests the API that lifeguard test's overlay adds to os
// and io (os.LifeguardTraceFD, os.LifeguardTraceProcess,
// io.LifeguardTracePipes) directly, without runtimecheck: every fd, child
// and io.Pipe made through os, net and io must be recorded with the stack
// of the line that made it, and forgotten when it is closed or reaped. Its
// tests build only with the lifeguard_trace tag, under the overlay:
//
//	lifeguard test -C testdata/lgtest ./traceapi
package traceapi
