package runtimecheck

import (
	"fmt"
	"os"

	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// TraceOutEnv names the file runtimecheck appends its JSON records to, one
// line per leak, when set (lifeguard test sets it).
const TraceOutEnv = leakrecord.EnvVar

// record is one line of LIFEGUARD_TRACE_OUT; package leakrecord defines
// it, for lifeguard test reads it too (docs/runtimecheck.md).
type record = leakrecord.Record

func newRecord(test, pkg string, parallel bool, l Leak) record {
	r := record{Test: test, Kind: string(l.Kind), FD: l.FD, PID: l.PID, Ancestor: l.Ancestor, Desc: l.Desc, Parallel: parallel, Package: pkg}
	if o := l.Origin; o != nil {
		r.Site = &leakrecord.Site{File: o.File, Line: o.Line}
		r.API = o.API
		r.Stack = o.Stack
	}
	return r
}

// appendRecords appends recs to $LIFEGUARD_TRACE_OUT, if it is set.
func appendRecords(recs []record) error {
	path := os.Getenv(TraceOutEnv)
	if path == "" || len(recs) == 0 {
		return nil
	}
	if err := leakrecord.Append(path, recs); err != nil {
		return fmt.Errorf("records for lifeguard test: %w", err)
	}
	return nil
}
