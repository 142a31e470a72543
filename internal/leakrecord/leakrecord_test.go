package leakrecord

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestAppendThenRead writes records as runtimecheck does and reads them as
// lifeguard test does: each comes back with its fields, a repeated one
// once, and a line that is no record as a warning naming the variable and
// the line.
func TestAppendThenRead(t *testing.T) {
	name := filepath.Join(t.TempDir(), "leaks.jsonl")
	pipe := Record{Test: "TestRun", Kind: "pipe", FD: 9, Desc: "fd 9 pipe:[81234] read end",
		Site: &Site{File: "/m/x/runner.go", Line: 41}, API: "(*exec.Cmd).StdoutPipe",
		Stack: []string{"example.com/x.run /m/x/runner.go:41"}, Package: "example.com/x"}
	zombie := Record{Kind: "process", FD: -1, PID: 4121, Desc: "pid 4121 zombie [sh]", Parallel: true, Package: "example.com/x"}
	if err := Append(name, []Record{pipe, zombie}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("not json\n\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := Append(name, []Record{pipe}); err != nil { // reported again by VerifyTestMain
		t.Fatal(err)
	}

	got, warnings := Read(name)
	if len(got) != 2 {
		t.Fatalf("read %d records, want 2 (the repeated one once): %+v", len(got), got)
	}
	for i, want := range []Record{pipe, zombie} {
		g := *got[i]
		g.raw = nil
		if !reflect.DeepEqual(g, want) {
			t.Errorf("record %d: got %+v, want %+v", i, g, want)
		}
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], EnvVar+", line 3: not a leak record: ") {
		t.Errorf("warnings %q, want one for line 3", warnings)
	}
}

// TestMarshalKeepsUnknownFields: a record read from a newer runtimecheck's
// line is written back with the fields this package does not know.
func TestMarshalKeepsUnknownFields(t *testing.T) {
	name := filepath.Join(t.TempDir(), "leaks.jsonl")
	line := `{"test":"TestX","kind":"pipe","fd":3,"pid":0,"desc":"fd 3","parallel":false,"package":"p","future":{"a":1}}`
	if err := os.WriteFile(name, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, warnings := Read(name)
	if len(recs) != 1 || len(warnings) != 0 {
		t.Fatalf("records %+v, warnings %q", recs, warnings)
	}
	out, err := json.Marshal(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != line {
		t.Errorf("marshalled as\n%s\nwant the line read\n%s", out, line)
	}
	made, err := json.Marshal(&Record{Kind: "process", FD: -1, PID: 7})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"test":"","kind":"process","fd":-1,"pid":7,"desc":"","parallel":false,"package":""}`; string(made) != want {
		t.Errorf("a record made here marshals as\n%s\nwant\n%s", made, want)
	}
}

func TestReadMissingFile(t *testing.T) {
	recs, warnings := Read(filepath.Join(t.TempDir(), "none.jsonl"))
	if recs != nil || len(warnings) != 1 || !strings.HasPrefix(warnings[0], "reading the leak records: ") {
		t.Errorf("records %+v, warnings %q; want one warning", recs, warnings)
	}
}
