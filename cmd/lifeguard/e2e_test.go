package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

func TestStandaloneReportsFindings(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "./bad/...")
	if r.code != driver.ExitFindings || r.stderr != "" {
		t.Fatalf("want exit status 1 and nothing on stderr; got %v", r)
	}
	// bad has a test file, so each finding is reported by bad and by
	// bad [bad.test]; checkFindings requires each once.
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "bad"), "")
}

func TestStandaloneCleanPackage(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "./good/...")
	if r.code != driver.ExitClean || r.stdout != "" || r.stderr != "" {
		t.Fatalf("want exit status 0 and no output; got %v", r)
	}
}

func TestStandaloneWithoutTests(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-test=false", "./bad")
	if r.code != driver.ExitFindings {
		t.Fatalf("want exit status 1; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "bad"), "")
}

func TestAnalyzerSwitches(t *testing.T) {
	t.Parallel()
	wants := fixtureWants(t, "bad")
	without := func(analyzer string) []want {
		var list []want
		for _, w := range wants {
			if w.analyzer != analyzer {
				list = append(list, w)
			}
		}
		return list
	}
	for _, tc := range []struct {
		flag  string
		wants []want // the findings that remain
	}{
		{"-cmdwait=false", without("cmdwait")},
		{"-pipedrain=false", without("pipedrain")},
		{"-cmdwait", wantsOf(wants, "cmdwait")}, // set true: only cmdwait runs
		{"-pipedrain=true", wantsOf(wants, "pipedrain")},
		{"-handlerrecover", wantsOf(wants, "handlerrecover")},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			t.Parallel()
			r := lifeguard(t, tc.flag, "./bad")
			if r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
			checkFindings(t, parseText(t, r.stdout), tc.wants, "")
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-json", "./bad")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("with -json, want exit status 0 despite findings; got %v", r)
	}
	// The go/analysis JSON: package ID -> analyzer -> diagnostics.
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("output is not the analysis JSON tree: %v\n%s", err, r.stdout)
	}
	byAnalyzer := tree["example.com/e2e/bad"]
	if byAnalyzer == nil {
		t.Fatalf("no entry for package example.com/e2e/bad in\n%s", r.stdout)
	}
	for _, w := range fixtureWants(t, "bad") {
		found := false
		for _, d := range byAnalyzer[w.analyzer] {
			file, lineCol := positions.Split(d.Posn)
			if filepath.ToSlash(file) == filepath.ToSlash(filepath.Join(fixtureDir, w.file)) &&
				strings.HasPrefix(lineCol, ":"+strconv.Itoa(w.line)+":") && strings.Contains(d.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("JSON has no diagnostic %s under %q", w, w.analyzer)
		}
	}
}

func TestFormatFlag(t *testing.T) {
	t.Parallel()
	// -format=json is -json; the last of the two wins.
	r := lifeguard(t, "-json", "-format=text", "./bad")
	if r.code != driver.ExitFindings || !strings.Contains(r.stdout, "bad/bad.go:") {
		t.Errorf("-json -format=text: want text output and exit status 1; got %v", r)
	}
	r = lifeguard(t, "-format=json", "./good")
	if r.code != driver.ExitClean || strings.TrimSpace(r.stdout) != "{}" {
		t.Errorf("-format=json on a clean package: want {} and exit status 0; got %v", r)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-list")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("want exit status 0; got %v", r)
	}
	for _, a := range suite.Analyzers() {
		if !strings.Contains(r.stdout, a.Name+" ") || !strings.Contains(r.stdout, firstLine(a.Doc)) {
			t.Errorf("-list does not show %s and its doc:\n%s", a.Name, r.stdout)
		}
		if a.URL == "" || !strings.Contains(r.stdout, a.URL) {
			t.Errorf("-list does not show the URL %q of %s:\n%s", a.URL, a.Name, r.stdout)
		}
	}
}

func TestTypeErrorStillReportsOtherPackages(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "./...")
	if r.code != driver.ExitError {
		t.Errorf("want exit status 2; got %v", r)
	}
	forEachMarkedLine(t, "broken", "// e2e:type-error", func(file string, line int, _ string) {
		prefix := "lifeguard: " + file + ":" + strconv.Itoa(line) + ":"
		if !strings.HasPrefix(r.stderr, prefix) {
			t.Errorf("stderr should start with %q; got\n%s", prefix, r.stderr)
		}
	})
	var wants []want
	for _, dir := range []string{"bad", "cgo", "modern", "bundled"} {
		wants = append(wants, fixtureWants(t, dir)...)
	}
	checkFindings(t, parseText(t, r.stdout), wants, "")
}

func TestChdirFlag(t *testing.T) {
	t.Parallel()
	// From the fixture's parent, files are shown relative to it.
	r := run(t, filepath.Dir(fixtureDir), lifeguardBin, "-C", "e2e", "./bad")
	if r.code != driver.ExitFindings {
		t.Fatalf("want exit status 1; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "bad"), "e2e/")

	// From elsewhere, they are absolute.
	r = run(t, t.TempDir(), lifeguardBin, "-C", fixtureDir, "./bad")
	if r.code != driver.ExitFindings {
		t.Fatalf("want exit status 1; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "bad"), filepath.ToSlash(fixtureDir)+"/")
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	var allOff []string // every analyzer disabled: nothing to run
	for _, a := range append(suite.Analyzers(), suite.Bundled()...) {
		allOff = append(allOff, "-"+a.Name+"=false")
	}
	for _, args := range [][]string{
		{"-no-such-flag", "./good"},
		{"-format=xml", "./good"},
		{"-fix", "-json", "./good"},
		append(allOff, "./good"),
		{"-C", "no-such-dir", "./good"},
		{"./no-such-package"},
		{"-max-annotations=-1", "./good"},
		{"-root", "no-such-dir", "./good"},
	} {
		r := lifeguard(t, args...)
		if r.code != driver.ExitError || !strings.HasPrefix(r.stderr, "lifeguard: ") || r.stdout != "" {
			t.Errorf("lifeguard %s: want exit status 2 and a lifeguard: error; got %v", strings.Join(args, " "), r)
		}
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-help")
	if r.code != driver.ExitClean {
		t.Fatalf("want exit status 0; got %v", r)
	}
	for _, s := range []string{"-noop", "for benchmarks", "-cmdwait", "-pipedrain", "-format", "-C dir",
		"-max-annotations n", "-root dir"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("-help does not mention %q:\n%s", s, r.stdout)
		}
	}
	r = lifeguard(t, "help", "cmdwait")
	if r.code != driver.ExitClean || !strings.Contains(r.stdout, "cmdwait: ") {
		t.Errorf("help cmdwait: got %v", r)
	}
}

// TestVersion: -version prints what the go command recorded in the binary
// (go version -m): the module version, a checkout's revision and whether
// it was modified, and the Go version; then exits 0.
func TestVersion(t *testing.T) {
	t.Parallel()
	m := run(t, fixtureDir, goTool(), "version", "-m", lifeguardBin)
	if m.code != 0 {
		t.Fatalf("go version -m: %v", m)
	}
	version, revision, modified := "", "", false
	for line := range strings.Lines(m.stdout) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/lifeguard-go/lifeguard":
			version = f[2]
		case len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision="):
			revision = strings.TrimPrefix(f[1], "vcs.revision=")
		case len(f) == 2 && f[0] == "build" && f[1] == "vcs.modified=true":
			modified = true
		}
	}
	if version == "" {
		t.Fatalf("go version -m names no module version:\n%s", m.stdout)
	}
	want := "lifeguard " + version
	if revision != "" {
		want += ", revision " + revision
		if modified {
			want += " (modified)"
		}
	}
	want += ", built with " + runtime.Version() + "\n"

	r := lifeguard(t, "-version")
	if r.code != driver.ExitClean || r.stdout != want || r.stderr != "" {
		t.Errorf("-version: want exit status 0 and %q; got %v", want, r)
	}
	if r := lifeguard(t, "-help"); !strings.Contains(r.stdout, "lifeguard -version") || !strings.Contains(r.stdout, "-version\n") {
		t.Errorf("-help does not show -version in the usage and the flags:\n%s", r.stdout)
	}
}

func TestNoop(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-noop", "./bad")
	if r.code != driver.ExitClean || r.stdout != "" || r.stderr != "" {
		t.Fatalf("-noop: want exit status 0 and no output; got %v", r)
	}
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	r := lifeguard(t, "-noop", "-cpuprofile", cpu, "-memprofile", mem, "./good")
	if r.code != driver.ExitClean {
		t.Fatalf("got %v", r)
	}
	for _, name := range []string{cpu, mem} {
		if fi, err := os.Stat(name); err != nil || fi.Size() == 0 {
			t.Errorf("profile %s not written (%v)", name, err)
		}
	}
}

func TestVetTool(t *testing.T) {
	t.Parallel()
	vettool := "-vettool=" + lifeguardBin

	r := run(t, fixtureDir, goTool(), "vet", vettool, "./bad/")
	if r.code == 0 {
		t.Errorf("go vet on ./bad/: want a failure; got %v", r)
	}
	// go vet prints "file:line:col: message" without the analyzer name.
	for _, w := range fixtureWants(t, "bad") {
		if !strings.Contains(r.stderr, w.file+":"+strconv.Itoa(w.line)+":") {
			t.Errorf("go vet does not report %s:\n%s", w, r.stderr)
		}
	}

	r = run(t, fixtureDir, goTool(), "vet", vettool, "./good/")
	if r.code != 0 {
		t.Errorf("go vet on ./good/: want success; got %v", r)
	}

	// -NAME=false passes through go vet to unitchecker.
	r = run(t, fixtureDir, goTool(), "vet", vettool, "-cmdwait=false", "./bad/")
	for _, w := range wantsOf(fixtureWants(t, "bad"), "cmdwait") {
		if strings.Contains(r.stderr, w.file+":"+strconv.Itoa(w.line)+":") {
			t.Errorf("go vet -cmdwait=false still reports %s:\n%s", w, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "flag provided but not defined") {
		t.Errorf("go vet -cmdwait=false: %s", r.stderr)
	}

	r = run(t, fixtureDir, lifeguardBin, "-V=full")
	if r.code != 0 || !strings.HasPrefix(r.stdout, lifeguardBin+" version ") {
		t.Errorf("-V=full: got %v", r)
	}
}

// Bad input must produce findings or clear errors, never a crash: a cgo
// package and one with generics and range-over-func are analyzed like any
// other.
func TestCgoAndModernGo(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"cgo", "modern"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			r := lifeguard(t, "./"+dir)
			if r.code != driver.ExitFindings || r.stderr != "" {
				t.Fatalf("want exit status 1 and nothing on stderr; got %v", r)
			}
			checkFindings(t, parseText(t, r.stdout), fixtureWants(t, dir), "")
		})
	}
}

// firstLine is the first line of an analyzer's documentation, which -list
// shows.
func firstLine(doc string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(doc), "\n")
	return line
}
