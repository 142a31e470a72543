package runtimecheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The fixture packages under testdata/runtimecheck are real test packages
// that use runtimecheck; these tests run them with go test and check what
// they report. They are outside ./... (testdata), so a plain go test of the
// module does not fail on their deliberate leaks.

const fixtureRoot = "github.com/lifeguard-go/lifeguard/testdata/runtimecheck/"

// goTestRun is one go test -json run of fixture packages.
type goTestRun struct {
	// output and result of each test, by "package test" ("package" alone
	// for the package itself).
	output  map[string]string
	result  map[string]string
	passes  map[string]int
	records []record
	stderr  string
}

type testEvent struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// runFixtures runs go test -json on the fixture packages with args, from the
// module's root, with LIFEGUARD_TRACE_OUT set, and collects what they said.
func runFixtures(t *testing.T, env []string, args ...string) *goTestRun {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trace.jsonl")
	cmd := exec.Command(goCommand(), append([]string{"test", "-json"}, args...)...)
	cmd.Dir = ".."
	cmd.Env = append(append(os.Environ(), TraceOutEnv+"="+out), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("go test: %v", err)
	}
	run := &goTestRun{output: map[string]string{}, result: map[string]string{}, passes: map[string]int{}, stderr: stderr.String()}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev testEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("go test -json line %q: %v\nstderr: %s", sc.Text(), err, stderr.String())
		}
		key := strings.TrimPrefix(ev.Package, fixtureRoot)
		if ev.Test != "" {
			key += " " + ev.Test
		}
		switch ev.Action {
		case "output":
			run.output[key] += ev.Output
		case "pass", "fail", "skip":
			run.result[key] = ev.Action
			if ev.Action == "pass" {
				run.passes[key]++
			}
		}
	}
	if b, err := os.ReadFile(out); err == nil {
		for line := range strings.Lines(string(b)) {
			var r record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("record %q: %v", line, err)
			}
			run.records = append(run.records, r)
		}
	}
	return run
}

// report finds, in a test's output, the report whose first line matches
// head, and returns its leak lines.
func report(output string, head *regexp.Regexp) (string, []string, bool) {
	lines := strings.Split(output, "\n")
	for i, l := range lines {
		if m := head.FindString(l); m != "" {
			var leaks []string
			for _, next := range lines[i+1:] {
				trimmed := strings.TrimLeft(next, " ")
				if !strings.HasPrefix(trimmed, "\t") {
					break
				}
				trimmed = strings.TrimPrefix(trimmed, "\t")
				if strings.HasPrefix(trimmed, "(run the tests with") {
					continue
				}
				leaks = append(leaks, trimmed)
			}
			return m, leaks, true
		}
	}
	return "", nil, false
}

var (
	fixtureOnce   sync.Once
	fixtureResult *goTestRun
)

// fixtureRun runs the fixture packages once for all the tests that look at
// them.
func fixtureRun(t *testing.T) *goTestRun {
	fixtureOnce.Do(func() {
		fixtureResult = runFixtures(t, nil, "-count=1", "./testdata/runtimecheck/leaky", "./testdata/runtimecheck/clean",
			"./testdata/runtimecheck/parallel", "./testdata/runtimecheck/mainleak")
	})
	if fixtureResult == nil {
		t.Fatal("the fixture run failed")
	}
	return fixtureResult
}

func skipFixtures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on the fixture packages")
	}
}

func TestLeakyFixtures(t *testing.T) {
	skipFixtures(t)
	run := fixtureRun(t)
	for _, tc := range []struct {
		test  string
		head  string   // the report's first line
		leaks []string // one regexp per leak line, in order
		kinds []Kind   // of the records
	}{
		{"TestStartNoWait", "TestStartNoWait leaked 1 child process:",
			[]string{`pid \d+ zombie ("true"|\[true\])`}, []Kind{KindProcess}},
		{"TestStdoutPipeNotRead", "TestStdoutPipeNotRead leaked 1 file descriptor and 1 child process:",
			[]string{`fd \d+ pipe:\[\d+\] read end`, `pid \d+ zombie ("echo hello"|\[echo\])`}, []Kind{KindPipe, KindProcess}},
		{"TestStdinPipeNotClosed", "TestStdinPipeNotClosed leaked 1 file descriptor and 1 child process:",
			[]string{`fd \d+ pipe:\[\d+\] write end`, `pid \d+ running "cat"`}, []Kind{KindPipe, KindProcess}},
		{"TestPipeWriteEndKept", "TestPipeWriteEndKept leaked 1 file descriptor:",
			[]string{`fd \d+ pipe:\[\d+\] write end`}, []Kind{KindPipe}},
		{"TestListenerLeft", "TestListenerLeft leaked 1 file descriptor:",
			[]string{`fd \d+ socket:\[\d+\] tcp 127\.0\.0\.1:\d+ listening`}, []Kind{KindSocket}},
		{"TestConnLeft", "TestConnLeft leaked 1 file descriptor:",
			[]string{`fd \d+ socket:\[\d+\] tcp 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ (close-wait|established)`}, []Kind{KindSocket}},
		{"TestFileLeft", "TestFileLeft leaked 1 file descriptor:",
			[]string{`fd \d+ file /\S+/TestFileLeft\d+/001/data\.txt( \(deleted\))?`}, []Kind{KindFile}},
	} {
		t.Run(tc.test, func(t *testing.T) {
			key := "leaky " + tc.test
			out := run.output[key]
			if run.result[key] != "fail" {
				t.Errorf("result %q, want fail; output:\n%s", run.result[key], out)
			}
			_, leaks, ok := report(out, regexp.MustCompile(`leaky_test\.go:\d+: `+regexp.QuoteMeta(tc.head)+`$`))
			if !ok {
				t.Fatalf("no report %q at the Check call in:\n%s", tc.head, out)
			}
			if len(leaks) != len(tc.leaks) {
				t.Fatalf("%d leak lines, want %d:\n%s", len(leaks), len(tc.leaks), out)
			}
			for i, re := range tc.leaks {
				if !regexp.MustCompile(`^` + re + `$`).MatchString(leaks[i]) {
					t.Errorf("leak %d: %q does not match %q", i, leaks[i], re)
				}
			}
			var kinds []Kind
			for _, r := range run.records {
				if r.Test != tc.test {
					continue
				}
				kinds = append(kinds, Kind(r.Kind))
				if r.Package != fixtureRoot+"leaky" || r.Parallel || r.Site != nil || !slices.Contains(leaks, r.Desc) {
					t.Errorf("record %+v does not match the report %q", r, leaks)
				}
			}
			if !slices.Equal(kinds, tc.kinds) {
				t.Errorf("records of kinds %v, want %v", kinds, tc.kinds)
			}
		})
	}
	t.Run("TestIOPipeWriterNotClosed", func(t *testing.T) {
		// No descriptor: only lifeguard test's overlay of io sees it.
		key := "leaky TestIOPipeWriterNotClosed"
		if traceEnabled {
			t.Skip("built with the overlay")
		}
		if run.result[key] != "pass" || strings.Contains(run.output[key], "leaked") {
			t.Errorf("result %q, output:\n%s\nwant a pass: without the overlay an io.Pipe leaks no descriptor", run.result[key], run.output[key])
		}
	})
}

func TestCleanFixtures(t *testing.T) {
	skipFixtures(t)
	run := fixtureRun(t)
	checkClean(t, run, 1)
}

// checkClean asserts that every test of the clean fixture passed n times
// and that nothing was reported.
func checkClean(t *testing.T, run *goTestRun, n int) {
	t.Helper()
	tests := 0
	for key, res := range run.result {
		pkg, test, _ := strings.Cut(key, " ")
		if pkg != "clean" {
			continue
		}
		if res != "pass" {
			t.Errorf("%s: %s\n%s", key, res, run.output[key])
		}
		if test != "" {
			tests++
			if run.passes[key] != n {
				t.Errorf("%s passed %d times, want %d", key, run.passes[key], n)
			}
		}
	}
	if tests < 10 {
		t.Errorf("only %d clean tests ran:\n%s", tests, run.stderr)
	}
	for key, out := range run.output {
		if strings.HasPrefix(key, "clean") && (strings.Contains(out, "leaked") || strings.Contains(out, "cannot be attributed") || strings.Contains(out, "runtimecheck:")) {
			t.Errorf("%s reported:\n%s", key, out)
		}
	}
	for _, r := range run.records {
		if r.Package == fixtureRoot+"clean" {
			t.Errorf("record from the clean fixture: %+v", r)
		}
	}
}

func TestParallelFixture(t *testing.T) {
	skipFixtures(t)
	run := fixtureRun(t)
	for key, res := range run.result {
		if strings.HasPrefix(key, "parallel") && res != "pass" {
			t.Errorf("%s: %s (a parallel test must not be blamed)\n%s", key, res, run.output[key])
		}
	}
	head := regexp.MustCompile(`parallel_test\.go:\d+: TestLeaker runs in parallel with other tests \(t\.Parallel\), so the 2 file descriptors that appeared while it ran cannot be attributed to it`)
	_, leaks, ok := report(run.output["parallel TestLeaker"], head)
	if !ok || len(leaks) != 2 || !strings.HasSuffix(leaks[0], "read end") || !strings.HasSuffix(leaks[1], "write end") {
		t.Errorf("TestLeaker's log: %q\n%s", leaks, run.output["parallel TestLeaker"])
	}
	for key, out := range run.output {
		if strings.HasPrefix(key, "parallel ") && strings.Contains(out, " leaked ") {
			t.Errorf("%s blamed:\n%s", key, out)
		}
	}
	n := 0
	for _, r := range run.records {
		if r.Package == fixtureRoot+"parallel" {
			n++
			if !r.Parallel || Kind(r.Kind) != KindPipe {
				t.Errorf("record %+v, want a parallel pipe", r)
			}
		}
	}
	if n < 2 {
		t.Errorf("%d records from the parallel fixture, want at least TestLeaker's 2", n)
	}
}

func TestMainLeakFixture(t *testing.T) {
	skipFixtures(t)
	run := fixtureRun(t)
	if run.result["mainleak"] != "fail" {
		t.Errorf("package result %q, want fail", run.result["mainleak"])
	}
	for _, test := range []string{"TestFine", "TestLeaks"} {
		if r := run.result["mainleak "+test]; r != "pass" {
			t.Errorf("%s: %s", test, r)
		}
	}
	out := run.output["mainleak"]
	head := regexp.MustCompile(`^runtimecheck: the tests of ` + regexp.QuoteMeta(fixtureRoot+"mainleak") + ` leaked 2 file descriptors and 1 child process:$`)
	_, leaks, ok := report(out, head)
	if !ok {
		t.Fatalf("no report in:\n%s", out)
	}
	want := []string{`fd \d+ pipe:\[\d+\] read end`, `fd \d+ pipe:\[\d+\] write end`, `pid \d+ zombie ("true"|\[true\])`}
	if len(leaks) != len(want) {
		t.Fatalf("leaks %q, want %d", leaks, len(want))
	}
	for i, re := range want {
		if !regexp.MustCompile(`^` + re + `$`).MatchString(leaks[i]) {
			t.Errorf("leak %q does not match %q", leaks[i], re)
		}
	}
	var kinds []string
	for _, r := range run.records {
		if r.Package == fixtureRoot+"mainleak" {
			kinds = append(kinds, fmt.Sprintf("%s/%q", r.Kind, r.Test))
		}
	}
	if got := strings.Join(kinds, " "); got != `pipe/"" pipe/"" process/""` {
		t.Errorf("records %s, want two pipes and a process, no test (no overlay)", got)
	}
}

// TestCleanFixturesRepeated runs the clean fixture 200 times in all
// (4 × -count=50: plain, one CPU, the race detector, and GOGC=1 with
// shuffled order), and wants no report at all. It takes a minute or two:
//
//	RUNTIMECHECK_REPEAT=1 go test -run TestCleanFixturesRepeated ./runtimecheck
func TestCleanFixturesRepeated(t *testing.T) {
	if os.Getenv("RUNTIMECHECK_REPEAT") == "" {
		t.Skip("set RUNTIMECHECK_REPEAT=1 to run the clean fixture 200 times")
	}
	total := 0
	for _, v := range []struct {
		name string
		env  []string
		args []string
	}{
		{"plain", nil, nil},
		{"cpu1", nil, []string{"-cpu=1"}},
		{"race", nil, []string{"-race"}},
		{"gogc1-shuffle", []string{"GOGC=1"}, []string{"-shuffle=on"}},
	} {
		t.Run(v.name, func(t *testing.T) {
			args := append([]string{"-count=50"}, v.args...)
			run := runFixtures(t, v.env, append(args, "./testdata/runtimecheck/clean")...)
			checkClean(t, run, 50)
			checks := 0
			for key, n := range run.passes {
				if strings.HasPrefix(key, "clean ") {
					checks += n
				}
			}
			total += checks
			t.Logf("%s: %d test runs passed, none reported", v.name, checks)
		})
	}
	t.Logf("total: %d checked test runs (200 runs of each clean test), no false report", total)
}
