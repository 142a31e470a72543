// Package leakrecord defines the leak records that runtimecheck writes and
// "lifeguard test" reads: one JSON object a line, appended to the file that
// the environment variable EnvVar names. It is the one definition of that
// contract (docs/runtimecheck.md, "The records").
//
// runtimecheck is built into users' test binaries, so this package uses the
// standard library alone.
package leakrecord

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// EnvVar names the file runtimecheck appends its records to, when set;
// lifeguard test sets it for the tests it runs.
const EnvVar = "LIFEGUARD_TRACE_OUT"

// A Record is one leak that runtimecheck reported.
type Record struct {
	Test     string   `json:"test"`
	Kind     string   `json:"kind"`               // pipe, socket, file, anon_inode, other_fd, process, iopipe, goroutine
	FD       int      `json:"fd"`                 // -1 for processes, io.Pipes and goroutines
	PID      int      `json:"pid"`                // 0 for descriptors
	Ancestor int      `json:"ancestor,omitempty"` // a process not started by the test process: the child it descends from
	Desc     string   `json:"desc"`
	Site     *Site    `json:"site,omitempty"` // the first frame in user code; nil when unknown
	API      string   `json:"api,omitempty"`  // the standard-library call that frame made
	Stack    []string `json:"stack,omitempty"`
	Parallel bool     `json:"parallel"`
	Package  string   `json:"package"`
	Auto     bool     `json:"auto,omitempty"` // found by lifeguard test's automatic check, not by a Check or VerifyTestMain

	// raw is the line Read took the record from. MarshalJSON gives it
	// back as it is, so that what a newer runtimecheck adds survives a
	// lifeguard that does not know of it.
	raw []byte
}

// A Site is where a leaked resource was made.
type Site struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// MarshalJSON encodes r as Read read it, or else from its fields.
func (r *Record) MarshalJSON() ([]byte, error) {
	if r.raw != nil {
		return r.raw, nil
	}
	type fields Record // without the method
	return json.Marshal((*fields)(r))
}

// Append appends recs to the file name, creating it if need be, each
// record a line written with one write on an O_APPEND descriptor, so that
// test binaries running at the same time (go test -p) do not interleave
// them.
func Append(name string, recs []Record) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	for i := range recs {
		line, err := json.Marshal(&recs[i])
		if err != nil {
			f.Close()
			return err
		}
		if _, err := f.Write(append(line, '\n')); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// Read reads the records in the file name. Lines that are not records are
// skipped with a warning; identical records (a leak reported by Check and
// again by VerifyTestMain) are kept once.
func Read(name string) (records []*Record, warnings []string) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, []string{fmt.Sprintf("reading the leak records: %v", err)}
	}
	seen := make(map[string]bool)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		r := new(Record)
		if err := json.Unmarshal(line, r); err != nil {
			warnings = append(warnings, fmt.Sprintf("%s, line %d: not a leak record: %v", EnvVar, n, err))
			continue
		}
		r.raw = slices.Clone(line)
		key := fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%d\x00%s\x00%v", r.Package, r.Test, r.Kind, r.FD, r.PID, r.Desc, r.Site)
		if seen[key] {
			continue
		}
		seen[key] = true
		records = append(records, r)
	}
	return records, warnings
}
