package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The end-to-end tests run the real binary, built once here, on the fixture
// module testdata/e2e (its own go.mod, standard library only).

var (
	lifeguardBin string // the binary under test
	fixtureDir   string // absolute path of testdata/e2e
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "lifeguard-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(tmp)

	lifeguardBin = filepath.Join(tmp, "lifeguard")
	build := exec.Command(goTool(), "build", "-o", lifeguardBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building lifeguard: %v\n", err)
		return 2
	}
	fixtureDir, err = filepath.Abs(filepath.Join("..", "..", "testdata", "e2e"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The fixture is a module of its own: keep any go.work above it out.
	os.Setenv("GOWORK", "off")
	// The tests share one result cache of their own: the user's stays
	// as it was, and the runs after the first read what it keeps.
	os.Setenv("LIFEGUARD_CACHE", filepath.Join(tmp, "cache"))
	return m.Run()
}

// goTool returns the go command of the toolchain running the tests.
func goTool() string {
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		if p := filepath.Join(goroot, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// result is what one run of a command printed, and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit status %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs name with args in dir.
func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	return runEnv(t, dir, nil, name, args...)
}

// lifeguard runs the binary in the fixture module.
func lifeguard(t *testing.T, args ...string) result {
	t.Helper()
	return run(t, fixtureDir, lifeguardBin, args...)
}

// A want is a finding the fixture expects: a line marked
//
//	// e2e:want ANALYZER "TEXT"
//
// must be reported once, by ANALYZER, with TEXT in the message.
type want struct {
	file     string // slash-separated, relative to the fixture module
	line     int
	analyzer string
	text     string
}

func (w want) String() string {
	return fmt.Sprintf("%s:%d: %q (%s)", w.file, w.line, w.text, w.analyzer)
}

var wantMarker = regexp.MustCompile(`// e2e:want (\w+) "([^"]*)"`)

// fixtureWants returns the wants marked in the fixture's package dir.
func fixtureWants(t *testing.T, pkgDir string) []want {
	t.Helper()
	var wants []want
	forEachMarkedLine(t, pkgDir, "// e2e:want ", func(file string, line int, text string) {
		m := wantMarker.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%s:%d: malformed e2e:want marker", file, line)
		}
		wants = append(wants, want{file, line, m[1], m[2]})
	})
	if len(wants) == 0 {
		t.Fatalf("no e2e:want markers in testdata/e2e/%s", pkgDir)
	}
	return wants
}

// forEachMarkedLine calls f for each line of the .go files of the fixture's
// package dir that contains marker.
func forEachMarkedLine(t *testing.T, pkgDir, marker string, f func(file string, line int, text string)) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(fixtureDir, pkgDir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel := pkgDir + "/" + filepath.Base(name)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			if strings.Contains(sc.Text(), marker) {
				f(rel, line, sc.Text())
			}
		}
	}
}

// A textFinding is one parsed line of the text output.
type textFinding struct {
	file      string
	line, col int
	message   string
	analyzer  string
}

var findingLine = regexp.MustCompile(`^(.+?):(\d+):(\d+): (.*) \((\w+)\)$`)

// parseText parses the text output; related-information lines (indented)
// are checked for form and skipped.
func parseText(t *testing.T, out string) []textFinding {
	t.Helper()
	var list []textFinding
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "\t") {
			if len(list) == 0 {
				t.Errorf("related information before any finding: %q", line)
			}
			continue
		}
		m := findingLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("output line is not file:line:col: message (analyzer): %q", line)
			continue
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		list = append(list, textFinding{filepath.ToSlash(m[1]), ln, col, m[4], m[5]})
	}
	return list
}

// checkFindings checks that got holds exactly one finding per want, at its
// file and line, by its analyzer, with its text; and nothing else. prefix is
// prepended to the wants' file names.
func checkFindings(t *testing.T, got []textFinding, wants []want, prefix string) {
	t.Helper()
	matched := make([]bool, len(got))
	for _, w := range wants {
		n := 0
		for i, f := range got {
			if f.file == prefix+w.file && f.line == w.line && f.analyzer == w.analyzer {
				n++
				matched[i] = true
				if !strings.Contains(f.message, w.text) {
					t.Errorf("%s:%d: message %q does not contain %q", f.file, f.line, f.message, w.text)
				}
			}
		}
		if n != 1 {
			t.Errorf("want one finding %s, got %d", w, n)
		}
	}
	for i, f := range got {
		if !matched[i] {
			t.Errorf("unexpected finding %s:%d:%d: %s (%s)", f.file, f.line, f.col, f.message, f.analyzer)
		}
	}
}

func wantsOf(wants []want, analyzer string) []want {
	var list []want
	for _, w := range wants {
		if w.analyzer == analyzer {
			list = append(list, w)
		}
	}
	return list
}
