package runtimecheck

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestAppendRecords(t *testing.T) {
	out := filepath.Join(t.TempDir(), "trace.jsonl")
	t.Setenv(TraceOutEnv, out)
	o := &Origin{File: "/m/x/runner.go", Line: 41, API: "(*exec.Cmd).StdoutPipe", Stack: []string{"example.com/x.run /m/x/runner.go:41"}}
	recs := []record{
		newRecord("TestRun", "example.com/x", false, Leak{Kind: KindPipe, FD: 9, Desc: "fd 9 pipe:[81234] read end", Origin: o}),
		newRecord("", "example.com/x", true, Leak{Kind: KindProcess, FD: -1, PID: 4121, Desc: "pid 4121 zombie [sh]"}),
	}
	if err := appendRecords(recs[:1]); err != nil {
		t.Fatal(err)
	}
	if err := appendRecords(recs[1:]); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	want := []map[string]any{
		{"test": "TestRun", "kind": "pipe", "fd": 9.0, "pid": 0.0, "desc": "fd 9 pipe:[81234] read end",
			"site": map[string]any{"file": "/m/x/runner.go", "line": 41.0}, "api": "(*exec.Cmd).StdoutPipe",
			"stack": []any{"example.com/x.run /m/x/runner.go:41"}, "parallel": false, "package": "example.com/x"},
		{"test": "", "kind": "process", "fd": -1.0, "pid": 4121.0, "desc": "pid 4121 zombie [sh]", "parallel": true, "package": "example.com/x"},
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("records:\n got %v\nwant %v", lines, want)
	}
}

func TestAppendRecordsOff(t *testing.T) {
	t.Setenv(TraceOutEnv, "")
	if err := appendRecords([]record{{Kind: string(KindPipe)}}); err != nil {
		t.Error(err)
	}
	t.Setenv(TraceOutEnv, filepath.Join(t.TempDir(), "no", "such", "dir"))
	if err := appendRecords([]record{{Kind: string(KindPipe)}}); err == nil {
		t.Error("no error for a file that cannot be created")
	}
}
