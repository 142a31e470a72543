package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/baseline"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/lgtest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// The end-to-end tests of "lifeguard test" run the binary on the fixture
// module testdata/lgtest, whose tests call runtimecheck (the module
// requires lifeguard with a replace of ../..), and on the demo module.

var lgtestCount = flag.Int("lgtest.count", 0, "run TestLifeguardTestCleanRepeated with go test -count=`N` (0: skip it)")

func lgtestDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "lgtest"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// The JSON output of lifeguard test, as far as the tests read it.
type lgtestJSON struct {
	GoTest struct {
		ExitCode int  `json:"exit_code"`
		Passed   bool `json:"passed"`
	} `json:"go_test"`
	Findings []struct {
		Analyzer    string `json:"analyzer"`
		Posn        string `json:"posn"`
		Message     string `json:"message"`
		ConfirmedBy []struct {
			Test     string `json:"test"`
			Package  string `json:"package"`
			Evidence string `json:"evidence"`
			Leaks    []struct {
				Match  string            `json:"match"`
				Record leakrecord.Record `json:"record"`
			} `json:"leaks"`
		} `json:"confirmed_by"`
	} `json:"findings"`
	NotFoundStatically []leakrecord.Record `json:"not_found_statically"`
	NoSite             []leakrecord.Record `json:"no_site"`
	Errors             []string            `json:"errors"`
}

// checkListedMissed checks that the leak marked missed at m is listed as
// not found statically, with its test and kind.
func checkListedMissed(t *testing.T, out *lgtestJSON, m lgtestMarker) {
	t.Helper()
	for _, rec := range out.NotFoundStatically {
		if rec.Site != nil && rec.Site.File == m.file && rec.Site.Line == m.line && rec.Test == m.test && rec.Kind == m.kinds[0] {
			return
		}
	}
	t.Errorf("leak %s is not listed as not found statically: %+v", m, out.NotFoundStatically)
}

// checkMarkedConfirmation checks that the finding at marker m is confirmed
// by m's test alone, with leaks of m's kinds in order; each, if set, checks
// every leak too.
func checkMarkedConfirmation(t *testing.T, out *lgtestJSON, m lgtestMarker, each func(match string, rec leakrecord.Record)) {
	t.Helper()
	found := false
	for _, f := range out.Findings {
		file, lineCol := positions.Split(f.Posn)
		if file != m.file || !strings.HasPrefix(lineCol, ":"+strconv.Itoa(m.line)+":") || f.Analyzer != m.analyzer {
			continue
		}
		found = true
		if len(f.ConfirmedBy) != 1 || f.ConfirmedBy[0].Test != m.test {
			t.Errorf("%s: confirmed by %+v, want by %s alone", m, f.ConfirmedBy, m.test)
			continue
		}
		var kinds []string
		for _, l := range f.ConfirmedBy[0].Leaks {
			kinds = append(kinds, l.Record.Kind)
			if each != nil {
				each(l.Match, l.Record)
			}
		}
		if !slices.Equal(kinds, m.kinds) {
			t.Errorf("%s: confirmed by leaks of kinds %v, want %v", m, kinds, m.kinds)
		}
	}
	if !found {
		t.Errorf("no %s finding at %s", m.analyzer, m)
	}
}

func parseLgtestJSON(t *testing.T, r result) *lgtestJSON {
	t.Helper()
	var out lgtestJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not lifeguard test's JSON: %v\n%v", err, r)
	}
	return &out
}

// An lgtestMarker is a line of a fixture marked
//
//	// lgtest:confirms ANALYZER TEST KIND...
//	// lgtest:missed TEST KIND
type lgtestMarker struct {
	file     string // absolute
	line     int
	confirms bool
	analyzer string // for confirms
	test     string
	kinds    []string
}

func (m lgtestMarker) String() string {
	return fmt.Sprintf("%s:%d (%s, %s %v)", filepath.Base(m.file), m.line, m.analyzer, m.test, m.kinds)
}

var lgtestMarkerRE = regexp.MustCompile(`// lgtest:(confirms|missed) (.*)$`)

func lgtestMarkers(t *testing.T, dir string) []lgtestMarker {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var list []lgtestMarker
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			m := lgtestMarkerRE.FindStringSubmatch(sc.Text())
			if m == nil || strings.HasPrefix(strings.TrimSpace(sc.Text()), "//") {
				continue // not a marker, or the package doc describing them
			}
			f := strings.Fields(m[2])
			mk := lgtestMarker{file: name, line: line, confirms: m[1] == "confirms"}
			if mk.confirms && len(f) >= 3 {
				mk.analyzer, mk.test, mk.kinds = f[0], f[1], f[2:]
			} else if !mk.confirms && len(f) == 2 {
				mk.test, mk.kinds = f[0], f[1:]
			} else {
				t.Fatalf("%s:%d: malformed marker %q", name, line, m[0])
			}
			list = append(list, mk)
		}
	}
	if len(list) == 0 {
		t.Fatalf("no lgtest markers in %s", dir)
	}
	return list
}

// TestLifeguardTestJoin runs lifeguard test on the leaky fixture: every
// seeded leak must be attributed to its line, confirm the finding there by
// the test that leaked it, and the leaks no analyzer reports must be listed
// as not found statically; nothing else.
func TestLifeguardTestJoin(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	r := run(t, dir, lifeguardBin, "test", "-json", "./leaky")
	if r.code != lgtest.ExitTestsFailed {
		t.Fatalf("want exit status %d (the leaky tests fail); got %v", lgtest.ExitTestsFailed, r)
	}
	out := parseLgtestJSON(t, r)
	if out.GoTest.Passed || out.GoTest.ExitCode != 1 || len(out.Errors) > 0 {
		t.Errorf("go_test %+v, errors %q; want go test failed with status 1 and no errors", out.GoTest, out.Errors)
	}
	if !strings.Contains(r.stderr, "--- FAIL: TestStartThenFail") {
		t.Errorf("with -json the tests' output goes to stderr; it has no --- FAIL: TestStartThenFail:\n%s", r.stderr)
	}

	markers := lgtestMarkers(t, filepath.Join(dir, "leaky"))
	nConfirms := 0
	for _, m := range markers {
		if !m.confirms {
			continue
		}
		nConfirms++
		checkMarkedConfirmation(t, out, m, func(match string, rec leakrecord.Record) {
			if rec.Test != m.test || rec.Package != "example.com/lgtest/leaky_test" && rec.Package != "example.com/lgtest/leaky" {
				t.Errorf("%s: record of test %q in package %q", m, rec.Test, rec.Package)
			}
			want := "line"
			if rec.Site.Line != m.line {
				want = "function"
			}
			if match != want {
				t.Errorf("%s: leak made at line %d matched by %q, want %q", m, rec.Site.Line, match, want)
			}
		})
	}
	if len(out.Findings) != nConfirms {
		t.Errorf("%d findings, want the %d marked", len(out.Findings), nConfirms)
	}

	var missed []lgtestMarker
	for _, m := range markers {
		if !m.confirms {
			missed = append(missed, m)
		}
	}
	if len(out.NotFoundStatically) != len(missed) || len(out.NoSite) != 0 {
		t.Errorf("not found statically: %d leaks, no site: %d; want %d and 0", len(out.NotFoundStatically), len(out.NoSite), len(missed))
	}
	for _, m := range missed {
		checkListedMissed(t, out, m)
	}
}

// TestLifeguardTestText checks the text output on the leaky fixture: the
// finding lines as lifeguard prints them, a "confirmed by" line under each,
// and the leaks not found statically as file:line lines.
func TestLifeguardTestText(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	r := run(t, dir, lifeguardBin, "test", "./leaky")
	if r.code != lgtest.ExitTestsFailed {
		t.Fatalf("want exit status %d; got %v", lgtest.ExitTestsFailed, r)
	}
	lines := strings.Split(r.stdout, "\n")
	for _, m := range lgtestMarkers(t, filepath.Join(dir, "leaky")) {
		prefix := fmt.Sprintf("leaky/%s:%d:", filepath.Base(m.file), m.line)
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
		if i < 0 {
			t.Errorf("no line starting with %s in\n%s", prefix, r.stdout)
			continue
		}
		if m.confirms {
			if !strings.HasSuffix(lines[i], "("+m.analyzer+")") {
				t.Errorf("%s: want a %s finding, got %q", m, m.analyzer, lines[i])
			}
			if i+1 == len(lines) || !strings.HasPrefix(lines[i+1], "\tconfirmed by "+m.test+": ") {
				t.Errorf("%s: no confirmed by %s line under %q", m, m.test, lines[i])
			}
		} else if !strings.Contains(lines[i], "(leaked by "+m.test+")") {
			t.Errorf("%s: want the leak of %s, got %q", m, m.test, lines[i])
		}
	}
	if !strings.Contains(r.stdout, "\nlifeguard test: 2 runtime leaks not found statically:\n") ||
		!strings.Contains(r.stdout, "lifeguard test: 6 findings (6 confirmed by tests), 2 runtime leaks not found statically; go test failed\n") {
		t.Errorf("the text output lacks its headings or summary:\n%s", r.stdout)
	}
}

// TestLifeguardTestClean runs lifeguard test on the clean fixture, which
// does the leaky fixture's work correctly: no finding, no leak, tests pass.
func TestLifeguardTestClean(t *testing.T) {
	t.Parallel()
	r := run(t, lgtestDir(t), lifeguardBin, "test", "-json", "./clean")
	if r.code != driver.ExitClean {
		t.Fatalf("want exit status 0; got %v", r)
	}
	out := parseLgtestJSON(t, r)
	if !out.GoTest.Passed || len(out.Findings) != 0 || len(out.NotFoundStatically) != 0 || len(out.NoSite) != 0 {
		t.Errorf("want passing tests, no findings, no leaks; got %s", r.stdout)
	}
}

// TestLifeguardTestCleanRepeated is the false-report check: the clean
// fixture's tests under lifeguard test, -count=N times (-lgtest.count=N).
// It is too long for every go test run; .ci/run runs it.
func TestLifeguardTestCleanRepeated(t *testing.T) {
	if *lgtestCount == 0 {
		t.Skip("run with -lgtest.count=N")
	}
	r := run(t, lgtestDir(t), lifeguardBin, "test", "-count="+strconv.Itoa(*lgtestCount), "./clean")
	if r.code != driver.ExitClean {
		t.Fatalf("-count=%d: want exit status 0; got %v", *lgtestCount, r)
	}
	t.Logf("%d runs of each clean test: no finding, no leak", *lgtestCount)
}

// TestLifeguardTestTraceAPI runs the tests of the overlay's own API, which
// need the overlay to build.
func TestLifeguardTestTraceAPI(t *testing.T) {
	t.Parallel()
	r := run(t, lgtestDir(t), lifeguardBin, "test", "-race", "./traceapi")
	if r.code != driver.ExitClean || !strings.Contains(r.stdout, "ok  \texample.com/lgtest/traceapi") {
		t.Fatalf("want the traceapi tests to pass, under -race too; got %v", r)
	}
}

// TestLifeguardTestSARIF checks that the SARIF log carries the
// confirmations in the findings' result properties and lists the leaks no
// finding explains as runtimeleak results.
func TestLifeguardTestSARIF(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	r := run(t, dir, lifeguardBin, "test", "-format=sarif", "./leaky")
	if r.code != lgtest.ExitTestsFailed {
		t.Fatalf("want exit status %d; got %v", lgtest.ExitTestsFailed, r)
	}
	log := parseSARIF(t, r.stdout)
	if log.Version != "2.1.0" {
		t.Fatalf("SARIF version %q, want 2.1.0", log.Version)
	}
	formattest.ValidateSARIF(t, r.stdout)
	run := log.Runs[0]
	if run.AutomationDetails.ID != "lifeguard/" {
		t.Errorf("automationDetails.id %q, want lifeguard/: the writer of -format=sarif", run.AutomationDetails.ID)
	}
	// File names are relative to the repository root.
	repo := repoRootOf(dir, dir)
	if root := run.OriginalURIBaseIDs["%SRCROOT%"].URI; root != "file://"+filepath.ToSlash(repo)+"/" {
		t.Errorf("%%SRCROOT%% is %q, want the repository root %s", root, repo)
	}
	leakyURI, _ := filepath.Rel(repo, filepath.Join(dir, "leaky", "leaky.go"))
	leakyURI = filepath.ToSlash(leakyURI)
	rules := run.Tool.Driver.Rules
	for _, want := range []string{"cmdwait", "pipedrain", "runtimeleak"} {
		i := -1
		for j, r := range rules {
			if r.ID == want {
				i = j
			}
		}
		if i < 0 {
			t.Errorf("no rule %s", want)
		} else if want != "runtimeleak" && !strings.HasSuffix(rules[i].HelpURI, "/docs/"+want+".md") {
			t.Errorf("rule %s: helpUri %q", want, rules[i].HelpURI)
		}
	}
	byLine := make(map[int]string) // line -> ruleId:test
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.ArtifactLocation.URI != leakyURI {
			t.Errorf("result %s at %+v, want %s under %%SRCROOT%%", res.RuleID, loc.ArtifactLocation, leakyURI)
		}
		switch {
		case res.RuleID == "runtimeleak" && res.Properties.Leak != nil:
			byLine[loc.Region.StartLine] = "runtimeleak:" + res.Properties.Leak.Test
		case len(res.Properties.ConfirmedBy) == 1:
			byLine[loc.Region.StartLine] = res.RuleID + ":" + res.Properties.ConfirmedBy[0].Test
		default:
			byLine[loc.Region.StartLine] = res.RuleID + ":"
		}
	}
	markers := lgtestMarkers(t, filepath.Join(dir, "leaky"))
	for _, m := range markers {
		want := "runtimeleak:" + m.test
		if m.confirms {
			want = m.analyzer + ":" + m.test
		}
		if byLine[m.line] != want {
			t.Errorf("%s: SARIF result %q, want %q", m, byLine[m.line], want)
		}
	}
	if len(run.Results) != len(markers) {
		t.Errorf("%d results, want %d", len(run.Results), len(markers))
	}
}

// TestLifeguardTestUsageErrors checks the command lines lifeguard test
// refuses, before it runs anything.
func TestLifeguardTestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-c", "./clean"}, "-c only compiles"},
		{[]string{"-o", "x.test", "./clean"}, "-o keeps the binary"},
		{[]string{"-trimpath", "./clean"}, "-trimpath removes"},
		{[]string{"-coverpkg=all", "./clean"}, "golang.org/issue/73802"},
		{[]string{"-coverpkg", "os/...", "./clean"}, "golang.org/issue/73802"},
		{[]string{"-format=xml", "./clean"}, "unknown -format"},
		{[]string{"-C", "no-such-dir", "./clean"}, "-C:"},
	} {
		r := run(t, dir, lifeguardBin, append([]string{"test"}, tc.args...)...)
		if r.code != driver.ExitError || !strings.HasPrefix(r.stderr, "lifeguard test: ") || !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
			t.Errorf("lifeguard test %s: want exit status 2 and an error with %q; got %v", strings.Join(tc.args, " "), tc.msg, r)
		}
	}
}

// demoConfirmed are the demo's pipedrain, cmdwait and cmdcancel findings whose bug a
// demo test exercises so that it leaks, and the test; the demo's other
// findings must stay unconfirmed: Wait after Run (git.go:39) fails with an
// error, and Run after StdoutPipe (transcode.go:113) and the seven bugs of
// the cross-function rules (show.go, thumbnail.go, worker.go, jobs.go) have
// no test. Process.Wait (transcode.go:66) leaves os/exec's context watcher
// running; TestRecordProcessWait does not call runtimecheck, and lifeguard
// test's automatic check finds it. The hook's cmdcancel bug (hook.go:31)
// leaves the script's background job running, an orphaned descendant
// TestHookTimeoutLeavesUpload's automatic check reports.
var demoConfirmed = map[string]string{
	"media/transcode.go:39":   "TestTranscodePidFileErrorLeavesChild",
	"media/transcode.go:66":   "TestRecordProcessWait",
	"media/transcode.go:85":   "TestExtractAudioBlocksOnFullPipe",
	"media/probe.go:33":       "TestProbeLargeOutputNeverReturns",
	"gitrepo/git.go:63":       "TestLogSequentialReads",
	"gitrepo/git.go:77":       "TestObjectSizesStdinNeverClosed",
	"supervise/helper.go:26":  "TestStartHelperKillWithoutWait",
	"supervise/indexer.go:14": "TestSpawnIndexerRelease",
	"supervise/lines.go:18":   "TestRunLinesNeverEnds",
	"media/hook.go:31":        "TestHookTimeoutLeavesUpload",
}

// TestLifeguardTestDemo runs lifeguard test on the demo module: each
// finding whose bug a test exercises is confirmed by that test, the others
// are not, and every leak the tests make is explained by a finding.
func TestLifeguardTestDemo(t *testing.T) {
	t.Parallel()
	demo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, demo, lifeguardBin, "test", "-json", "./...")
	if r.code != lgtest.ExitTestsFailed {
		t.Fatalf("want exit status %d (the demo's leaky tests fail); got %v", lgtest.ExitTestsFailed, r)
	}
	out := parseLgtestJSON(t, r)
	if len(out.Findings) != 30 || len(out.Errors) > 0 {
		t.Errorf("%d findings and errors %q; want the demo's 30 and none", len(out.Findings), out.Errors)
	}
	seen := make(map[string]bool)
	for _, f := range out.Findings {
		file, lineCol := positions.Split(f.Posn)
		rel, _ := filepath.Rel(demo, file)
		line, _, _ := strings.Cut(strings.TrimPrefix(lineCol, ":"), ":")
		key := filepath.ToSlash(rel) + ":" + line
		want, ok := demoConfirmed[key]
		var got []string
		for _, c := range f.ConfirmedBy {
			got = append(got, c.Test)
		}
		switch {
		case ok && !slices.Equal(got, []string{want}):
			t.Errorf("%s (%s): confirmed by %q, want by %s", key, f.Analyzer, got, want)
		case !ok && len(got) > 0:
			t.Errorf("%s (%s): confirmed by %q, want no confirmation", key, f.Analyzer, got)
		}
		seen[key] = true
	}
	for key := range demoConfirmed {
		if !seen[key] {
			t.Errorf("no finding at %s", key)
		}
	}
	if len(out.NotFoundStatically) != 0 || len(out.NoSite) != 0 {
		t.Errorf("leaks no finding explains: %+v, %+v", out.NotFoundStatically, out.NoSite)
	}
}

// TestSARIFStandalone checks plain lifeguard's -format=sarif: one result per
// finding, at its file (relative to %SRCROOT%, the repository root) and
// line, with its rule.
func TestSARIFStandalone(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-format=sarif", "./bad")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("with -format=sarif, want exit status 0 despite findings; got %v", r)
	}
	run := parseSARIF(t, r.stdout).Runs[0]
	if run.ColumnKind != "unicodeCodePoints" || len(run.Tool.Driver.Rules) < len(suite.Analyzers()) {
		t.Errorf("columnKind %q, %d rules", run.ColumnKind, len(run.Tool.Driver.Rules))
	}
	wants := fixtureWants(t, "bad")
	if len(run.Results) != len(wants) {
		t.Errorf("%d results, want %d", len(run.Results), len(wants))
	}
	prefix, _ := filepath.Rel(repoRootOf(fixtureDir, fixtureDir), fixtureDir)
	prefix = strings.TrimPrefix(filepath.ToSlash(prefix)+"/", "./")
	for _, w := range wants {
		found := false
		for _, res := range run.Results {
			loc := res.Locations[0].PhysicalLocation
			if res.RuleID == w.analyzer && loc.ArtifactLocation.URI == prefix+w.file && loc.ArtifactLocation.URIBaseID == "%SRCROOT%" &&
				loc.Region.StartLine == w.line && loc.Region.StartColumn >= 1 {
				found = true
			}
		}
		if !found {
			t.Errorf("no SARIF result for %s", w)
		}
	}
}

// checkMarkers checks lifeguard test's JSON output for the markers of the
// fixture package dir: each finding marked is confirmed by its test with
// leaks of the kinds marked, each leak marked missed is listed as not
// found statically, and there is nothing else.
func checkMarkers(t *testing.T, out *lgtestJSON, dir string) {
	t.Helper()
	markers := lgtestMarkers(t, dir)
	nConfirms, nMissed := 0, 0
	for _, m := range markers {
		if !m.confirms {
			nMissed++
			checkListedMissed(t, out, m)
			continue
		}
		nConfirms++
		checkMarkedConfirmation(t, out, m, nil)
	}
	if len(out.Findings) != nConfirms {
		t.Errorf("%d findings, want the %d marked", len(out.Findings), nConfirms)
	}
	if len(out.NotFoundStatically) != nMissed || len(out.NoSite) != 0 {
		t.Errorf("not found statically: %d leaks, no site: %d; want %d and 0: %+v %+v", len(out.NotFoundStatically), len(out.NoSite), nMissed, out.NotFoundStatically, out.NoSite)
	}
}

// TestLifeguardTestAuto runs lifeguard test on a package whose tests pass
// under go test and never call runtimecheck: the automatic check finds the
// zombie of a Kill without Wait, and the pipe and copy goroutine that
// cmd.Process.Wait leaves to os/exec, each with its test and line, and
// they confirm cmdwait's findings; the tests still pass, and the leaks
// are lifeguard test's to report (exit status 1 in text).
func TestLifeguardTestAuto(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	r := run(t, dir, lifeguardBin, "test", "-json", "./auto")
	if r.code != driver.ExitClean {
		t.Fatalf("-json: want exit status 0 (tests pass; findings do not change the status with -json); got %v", r)
	}
	out := parseLgtestJSON(t, r)
	if !out.GoTest.Passed || len(out.Errors) > 0 {
		t.Errorf("go_test %+v, errors %q; want the tests to pass, as under go test", out.GoTest, out.Errors)
	}
	checkMarkers(t, out, filepath.Join(dir, "auto"))
	for _, f := range out.Findings {
		for _, c := range f.ConfirmedBy {
			for _, l := range c.Leaks {
				if !l.Record.Auto || l.Record.Package != "example.com/lgtest/auto" {
					t.Errorf("record %+v: want one of the automatic check, of package example.com/lgtest/auto", l.Record)
				}
			}
		}
	}
	for _, rec := range out.NotFoundStatically {
		// Its command line is sleep's, or the shell's when the look came
		// between the fork and the exec.
		if rec.Kind == "process" && (rec.Ancestor == 0 || !strings.Contains(rec.Desc, "running \"") || !strings.Contains(rec.Desc, "sleep 5")) {
			t.Errorf("the background sleep: %+v; want a running descendant with its command line and ancestor", rec)
		}
	}

	r = run(t, dir, lifeguardBin, "test", "./auto")
	if r.code != driver.ExitFindings || strings.Contains(r.stdout, "go test failed") ||
		!strings.Contains(r.stdout, "lifeguard test: 2 findings (2 confirmed by tests), 1 runtime leak not found statically\n") {
		t.Errorf("text: want exit status %d, the tests passing and the confirmations; got %v", driver.ExitFindings, r)
	}
}

// TestLifeguardTestNoAuto checks that -lgtest.noauto turns the automatic
// check off: the same package, its findings, nothing to confirm them.
func TestLifeguardTestNoAuto(t *testing.T) {
	t.Parallel()
	r := run(t, lgtestDir(t), lifeguardBin, "test", "-json", "-lgtest.noauto", "./auto")
	if r.code != driver.ExitClean {
		t.Fatalf("want exit status 0; got %v", r)
	}
	out := parseLgtestJSON(t, r)
	if !out.GoTest.Passed || len(out.Findings) != 2 || len(out.NotFoundStatically) != 0 || len(out.NoSite) != 0 {
		t.Errorf("want passing tests, the 2 findings and no leak; got %s", r.stdout)
	}
	for _, f := range out.Findings {
		if len(f.ConfirmedBy) > 0 {
			t.Errorf("%s confirmed by %+v with the automatic check off", f.Posn, f.ConfirmedBy)
		}
	}
}

// TestLifeguardTestCancel runs the cancellation fixture: a shell script
// with a job in the background, cancelled by CommandContext. Without
// WaitDelay, Run hangs until the job exits (the test checks it) and nothing
// is left; with WaitDelay but no group kill the orphaned job is reported
// as a running descendant, at the line that made the command, and
// confirms cmdcancel's finding there; with Setpgid and a Cancel that kills
// the group nothing is reported. Until the suite has cmdcancel, the orphan
// is listed as not found statically instead.
func TestLifeguardTestCancel(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	r := run(t, dir, lifeguardBin, "test", "-json", "./cancel")
	if r.code != driver.ExitClean {
		t.Fatalf("want exit status 0 (the tests pass); got %v", r)
	}
	out := parseLgtestJSON(t, r)
	if !out.GoTest.Passed || len(out.Errors) > 0 || len(out.NoSite) != 0 {
		t.Fatalf("go_test %+v, errors %q, no site %+v; want passing tests", out.GoTest, out.Errors, out.NoSite)
	}
	src := filepath.Join(dir, "cancel", "cancel.go")
	lineOf := func(fn string) int {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		in := false
		for i, l := range strings.Split(string(data), "\n") {
			in = in || strings.HasPrefix(l, "func "+fn+"(")
			if in && strings.Contains(l, "exec.CommandContext(") {
				return i + 1
			}
		}
		t.Fatalf("no exec.CommandContext in %s", fn)
		return 0
	}
	isOrphan := func(rec leakrecord.Record) bool {
		return rec.Test == "TestWaitDelayOrphans" && rec.Kind == "process" && rec.Ancestor > 0 &&
			strings.Contains(rec.Desc, `running "sleep 10"`) && rec.Site != nil && rec.Site.File == src && rec.API == "(*exec.Cmd).Run"
	}
	var leaks []leakrecord.Record
	leaks = append(leaks, out.NotFoundStatically...)
	for _, f := range out.Findings {
		for _, c := range f.ConfirmedBy {
			for _, l := range c.Leaks {
				leaks = append(leaks, l.Record)
			}
		}
	}
	if len(leaks) != 1 || !isOrphan(leaks[0]) {
		t.Fatalf("leaks %+v; want one, the running sleep 10 orphaned in TestWaitDelayOrphans, from the Run in RunWaitDelay", leaks)
	}

	want := map[int]string{lineOf("RunNoWaitDelay"): "", lineOf("RunWaitDelay"): "TestWaitDelayOrphans"}
	for _, f := range out.Findings {
		file, lineCol := positions.Split(f.Posn)
		line, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(lineCol, ":"), ":", 2)[0])
		test, ok := want[line]
		if f.Analyzer != "cmdcancel" || file != src || !ok {
			t.Errorf("finding %s (%s): want cmdcancel's at the CommandContext of RunNoWaitDelay and RunWaitDelay only", f.Posn, f.Analyzer)
			continue
		}
		delete(want, line)
		var got []string
		for _, c := range f.ConfirmedBy {
			got = append(got, c.Test)
		}
		if test == "" && len(got) > 0 || test != "" && !slices.Equal(got, []string{test}) {
			t.Errorf("%s: confirmed by %q, want %q", f.Posn, got, test)
		}
	}
	for line := range want {
		t.Errorf("no cmdcancel finding at cancel.go:%d", line)
	}
	if len(out.NotFoundStatically) != 0 {
		t.Errorf("not found statically: %+v; want the orphan to confirm cmdcancel", out.NotFoundStatically)
	}
}

// TestLifeguardTestBaseline: with the cancellation fixture's findings in a
// baseline, lifeguard test reports neither them nor the leak that confirms
// one, and exits 0 (the tests pass); an entry that matches nothing is
// reported on stderr as one to prune, failing nothing.
func TestLifeguardTestBaseline(t *testing.T) {
	t.Parallel()
	dir := lgtestDir(t)
	file := filepath.Join(t.TempDir(), "baseline.json")
	if r := run(t, dir, lifeguardBin, "-write-baseline", file, "./cancel"); r.code != driver.ExitClean {
		t.Fatalf("-write-baseline: %v", r)
	}
	b, err := baseline.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Findings) != 2 {
		t.Fatalf("baseline of ./cancel has %d findings, want cmdcancel's two", len(b.Findings))
	}
	gone := baseline.Entry{Analyzer: "cmdcancel", File: b.Findings[0].File, Function: "RunGone", Message: "a bug fixed since"}
	b.Findings = append(b.Findings, gone)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o666); err != nil {
		t.Fatal(err)
	}

	r := run(t, dir, lifeguardBin, "test", "-baseline", file, "./cancel")
	if r.code != driver.ExitClean {
		t.Fatalf("lifeguard test -baseline: want exit status 0 (tests pass, everything known); got %v", r)
	}
	if strings.Contains(r.stdout, "(cmdcancel)") || strings.Contains(r.stdout, "confirmed by Test") ||
		!strings.Contains(r.stdout, "lifeguard test: 0 findings (0 confirmed by tests), 0 runtime leaks not found statically") {
		t.Errorf("lifeguard test -baseline: want no finding and no leak reported; got\n%s", r.stdout)
	}
	if want := "1 entry of " + file + " matches no finding"; !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "(RunGone): a bug fixed since (cmdcancel)") {
		t.Errorf("stderr %q; want the stale entry reported (%q)", r.stderr, want)
	}
}
