package runtimecheck

import (
	"encoding/json"
	"fmt"
	"os"
)

// TraceOutEnv names the file runtimecheck appends its JSON records to, one
// line per leak, when set (lifeguard test sets it).
const TraceOutEnv = "LIFEGUARD_TRACE_OUT"

// record is one line of LIFEGUARD_TRACE_OUT; its fields are the contract
// with lifeguard test (docs/runtimecheck.md).
type record struct {
	Test     string   `json:"test"`
	Kind     Kind     `json:"kind"`
	FD       int      `json:"fd"`
	PID      int      `json:"pid"`
	Desc     string   `json:"desc"`
	Site     *site    `json:"site,omitempty"`
	API      string   `json:"api,omitempty"`
	Stack    []string `json:"stack,omitempty"`
	Parallel bool     `json:"parallel"`
	Package  string   `json:"package"`
}

type site struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

func newRecord(test, pkg string, parallel bool, l Leak) record {
	r := record{Test: test, Kind: l.Kind, FD: l.FD, PID: l.PID, Desc: l.Desc, Parallel: parallel, Package: pkg}
	if o := l.Origin; o != nil {
		r.Site = &site{File: o.File, Line: o.Line}
		r.API = o.API
		r.Stack = o.Stack
	}
	return r
}

// appendRecords appends recs to $LIFEGUARD_TRACE_OUT, each line with one
// write on an O_APPEND descriptor, so that test binaries running at the
// same time (go test -p) do not interleave them.
func appendRecords(recs []record) error {
	path := os.Getenv(TraceOutEnv)
	if path == "" || len(recs) == 0 {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("records for lifeguard test: %w", err)
	}
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			f.Close()
			return fmt.Errorf("records for lifeguard test: %w", err)
		}
		if _, err := f.Write(append(line, '\n')); err != nil {
			f.Close()
			return fmt.Errorf("records for lifeguard test: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("records for lifeguard test: %w", err)
	}
	return nil
}
