package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/baseline"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// TestBaseline adopts lifeguard on the CI fixture with a baseline, then
// edits the code the way a codebase changes: the recorded findings stay
// hidden through unrelated insertions and moves, new ones are reported,
// a third finding where the baseline has two is reported, and renaming
// the function a finding is in makes it new (documented in package
// baseline), its old entry reported as one that matches nothing, as is the
// entry of a bug fixed.
func TestBaseline(t *testing.T) {
	t.Parallel()
	repo, module := ciFixture(t)
	svc := filepath.Join(module, "svc", "svc.go")
	file := filepath.Join(repo, "lifeguard-baseline.json")
	wants := ciWants(t, module)

	r := runEnv(t, module, nil, lifeguardBin, "-write-baseline", file, "./...")
	if want := "lifeguard: wrote " + strconv.Itoa(len(wants)) + " findings to " + file + "\n"; r.code != driver.ExitClean || r.stdout != "" || r.stderr != want {
		t.Fatalf("-write-baseline: want exit status 0, no output, stderr %q; got %v", want, r)
	}
	b := readBaselineFile(t, file)
	if b.Version != 1 || b.Tool != "lifeguard" || len(b.Findings) != len(wants) {
		t.Fatalf("baseline has version %d, tool %q, %d findings; want 1, lifeguard, %d", b.Version, b.Tool, len(b.Findings), len(wants))
	}
	// Each marker names the function its finding is in.
	var gotFuncs, wantFuncs []string
	for _, e := range b.Findings {
		gotFuncs = append(gotFuncs, e.Analyzer+" "+e.File+" "+e.Function)
		if regexp.MustCompile(`\.go:\d`).MatchString(e.Message) {
			t.Errorf("baseline message %q keeps a line number", e.Message)
		}
	}
	for _, w := range wants {
		wantFuncs = append(wantFuncs, w.analyzer+" sub/"+w.file+" "+w.function)
	}
	slices.Sort(gotFuncs)
	slices.Sort(wantFuncs)
	if !slices.Equal(gotFuncs, wantFuncs) {
		t.Errorf("baseline records\n%s\nwant\n%s", strings.Join(gotFuncs, "\n"), strings.Join(wantFuncs, "\n"))
	}

	// stale is the baseline entry -baseline reports matching nothing, ""
	// when it must report none (and nothing else on stderr).
	var stale string
	check := func(step string, wantFindings ...string) {
		t.Helper()
		r := runEnv(t, module, nil, lifeguardBin, "-baseline", file, "./...")
		got := parseText(t, r.stdout)
		wantCode := driver.ExitClean
		if len(wantFindings) > 0 {
			wantCode = driver.ExitFindings
		}
		stderrOK := r.stderr == ""
		if stale != "" {
			stderrOK = strings.HasPrefix(r.stderr, "lifeguard: -baseline: 1 entry of "+file+" matches no finding") && strings.Contains(r.stderr, stale) &&
				strings.Count(r.stderr, "\n") == 2
		}
		if r.code != wantCode || !stderrOK || len(got) != len(wantFindings) {
			t.Fatalf("%s: want %d findings (%s), exit status %d; got %v", step, len(wantFindings), strings.Join(wantFindings, ", "), wantCode, r)
		}
		for i, w := range wantFindings {
			file, line, _ := strings.Cut(w, ":")
			if got[i].file != file || strconv.Itoa(got[i].line) != line {
				t.Errorf("%s: finding %d at %s:%d, want %s", step, i, got[i].file, got[i].line, w)
			}
		}
	}
	check("unchanged")

	// Unrelated code above everything, and within Twice above its bugs.
	insertAfterImports(t, svc, "// Unrelated is new.\nfunc Unrelated() int {\n\treturn 1\n}\n")
	replaceOnce(t, svc, "func Twice() {\n", "func Twice() {\n\tprintln(\"first\")\n\tprintln(\"second\")\n")
	check("unrelated code inserted")

	// Percent moved after Pool.Spawn, the last function.
	percent := "// Percent's message"
	editFile(t, svc, func(src string) string {
		i := strings.Index(src, percent)
		j := strings.Index(src, "\n// Wide ")
		if i < 0 || j < 0 {
			t.Fatal("svc.go has no Percent before Wide")
		}
		return src[:i] + src[j+1:] + "\n" + src[i:j]
	})
	check("Percent moved to the end")

	// A new bug, and a third Start in Twice, where the baseline has two:
	// the last of the three is the one reported.
	replaceOnce(t, svc, "func Unrelated() int {\n", "func Unrelated() int {\n\t_ = exec.Command(\"new\").Start() // new bug\n")
	replaceOnce(t, svc, "\t_ = cmd.Start() // ci:want cmdwait Twice\n}\n", "\t_ = cmd.Start() // ci:want cmdwait Twice\n\tcmd = exec.Command(\"true\")\n\t_ = cmd.Start() // third\n}\n")
	check("new bugs", "svc/svc.go:"+lineOf(t, svc, "// new bug"), "svc/svc.go:"+lineOf(t, svc, "// third"))
	replaceOnce(t, svc, "\t_ = exec.Command(\"new\").Start() // new bug\n", "")
	replaceOnce(t, svc, "\tcmd = exec.Command(\"true\")\n\t_ = cmd.Start() // third\n", "")
	check("new bugs removed")

	// Renaming the function makes its finding new: the fingerprint names
	// the function.
	// Its old entry matches nothing and is reported as one to prune; the
	// exit status follows the findings alone.
	replaceOnce(t, svc, "func Percent() error {", "func PercentRenamed() error {")
	stale = "svc/svc.go (Percent): "
	check("Percent renamed", "svc/svc.go:"+lineOf(t, svc, "ci:want cmdwait Percent"))

	// Named back, it is hidden again; fixed, nothing is reported but its
	// stale entry, and the exit status is 0.
	replaceOnce(t, svc, "func PercentRenamed() error {", "func Percent() error {")
	stale = ""
	check("Percent named back")
	replaceOnce(t, svc, `.Start() // ci:want cmdwait Percent`, `.Run() // fixed`)
	stale = "svc/svc.go (Percent): "
	check("Percent fixed")
}

// TestBaselineFormats checks that -baseline filters every format and that
// the exit status follows the findings left: the baseline of the CI fixture
// hides all but one new finding.
func TestBaselineFormats(t *testing.T) {
	t.Parallel()
	repo, module := ciFixture(t)
	svc := filepath.Join(module, "svc", "svc.go")
	file := filepath.Join(repo, "baseline.json")
	if r := runEnv(t, module, nil, lifeguardBin, "-write-baseline", file, "./..."); r.code != driver.ExitClean {
		t.Fatalf("-write-baseline: %v", r)
	}
	insertAfterImports(t, svc, "func Fresh() {\n\t_ = exec.Command(\"new\").Start() // new bug\n}\n")
	line := lineOf(t, svc, "// new bug")
	newAt := "sub/svc/svc.go:" + line

	for _, tc := range []struct {
		format string
		code   int
		check  func(out string) (count int, where string)
	}{
		{"text", driver.ExitFindings, func(out string) (int, string) {
			got := parseText(t, out)
			if len(got) != 1 {
				return len(got), ""
			}
			return 1, "sub/" + got[0].file + ":" + strconv.Itoa(got[0].line)
		}},
		{"github", driver.ExitFindings, func(out string) (int, string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			c, ok := formattest.ParseWorkflowCommand(t, lines[0])
			if len(lines) != 1 || !ok {
				return len(lines), ""
			}
			return 1, c.Props["file"] + ":" + c.Props["line"]
		}},
		{"json", driver.ExitClean, func(out string) (int, string) {
			var tree map[string]map[string][]struct {
				Posn string `json:"posn"`
			}
			if err := json.Unmarshal([]byte(out), &tree); err != nil {
				t.Fatalf("-format=json: %v\n%s", err, out)
			}
			// A package and its test variant both have the finding;
			// one and the same position is what counts.
			lines := make(map[string]bool)
			for _, byAnalyzer := range tree {
				for _, diags := range byAnalyzer {
					for _, d := range diags {
						file, lineCol := positions.Split(d.Posn)
						l, _, _ := strings.Cut(strings.TrimPrefix(lineCol, ":"), ":")
						rel, _ := filepath.Rel(repo, file)
						lines[filepath.ToSlash(rel)+":"+l] = true
					}
				}
			}
			for p := range lines {
				return len(lines), p
			}
			return 0, ""
		}},
		{"sarif", driver.ExitClean, func(out string) (int, string) {
			formattest.ValidateSARIF(t, out)
			res := parseSARIF(t, out).Runs[0].Results
			if len(res) != 1 {
				return len(res), ""
			}
			pl := res[0].Locations[0].PhysicalLocation
			return 1, pl.ArtifactLocation.URI + ":" + strconv.Itoa(pl.Region.StartLine)
		}},
		{"checkstyle", driver.ExitClean, func(out string) (int, string) {
			var doc struct {
				Files []struct {
					Name   string `xml:"name,attr"`
					Errors []struct {
						Line int `xml:"line,attr"`
					} `xml:"error"`
				} `xml:"file"`
			}
			if err := xml.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("-format=checkstyle: %v", err)
			}
			if len(doc.Files) != 1 || len(doc.Files[0].Errors) != 1 {
				return len(doc.Files), ""
			}
			return 1, doc.Files[0].Name + ":" + strconv.Itoa(doc.Files[0].Errors[0].Line)
		}},
		{"gitlab", driver.ExitClean, func(out string) (int, string) {
			issues := decodeGitLab(t, out)
			if len(issues) != 1 {
				return len(issues), ""
			}
			return 1, issues[0].Location.Path + ":" + strconv.Itoa(issues[0].Location.Positions.Begin.Line)
		}},
	} {
		r := runEnv(t, module, nil, lifeguardBin, "-format="+tc.format, "-baseline", file, "./...")
		if r.code != tc.code || r.stderr != "" {
			t.Errorf("-format=%s -baseline: want exit status %d, nothing on stderr; got %v", tc.format, tc.code, r)
			continue
		}
		if n, where := tc.check(r.stdout); n != 1 || where != newAt {
			t.Errorf("-format=%s -baseline: %d findings, the first at %q; want only the new one, at %s:\n%s", tc.format, n, where, newAt, r.stdout)
		}
	}

	// The clean case of the exit status: the new bug fixed, text exits 0.
	replaceOnce(t, svc, "\t_ = exec.Command(\"new\").Start() // new bug\n", "")
	if r := runEnv(t, module, nil, lifeguardBin, "-format=github", "-baseline", file, "./..."); r.code != driver.ExitClean || r.stdout != "" {
		t.Errorf("-format=github -baseline with only old findings: want exit status 0, no output; got %v", r)
	}
}

// TestBaselineErrors: a missing, corrupt or foreign baseline is an error
// (status 2) that says what is wrong before any analysis; so are the flag
// combinations that make no sense; and -write-baseline refuses to write a
// baseline of packages that failed to load, which would miss their
// findings.
func TestBaselineErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := filepath.Join(dir, "missing.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-baseline", missing}, "lifeguard: -baseline: open " + missing + ": no such file or directory (create it with -write-baseline " + missing + ")\n"},
		{[]string{"-baseline", write("truncated.json", `{"version": 1, "findings": [`)}, "is not a lifeguard baseline: unexpected EOF"},
		{[]string{"-baseline", write("array.json", `[]`)}, "is not a lifeguard baseline"},
		{[]string{"-baseline", write("other.json", `{"version": 1, "issues": []}`)}, `is not a lifeguard baseline: json: unknown field "issues"`},
		{[]string{"-baseline", write("empty.json", `{}`)}, "is not a lifeguard baseline: it has no version"},
		{[]string{"-baseline", write("v2.json", `{"version": 2, "findings": []}`)}, "has version 2, this lifeguard reads version 1"},
		{[]string{"-baseline", write("partial.json", `{"version": 1, "findings": [{"analyzer": "cmdwait"}]}`)}, "finding 1 lacks its analyzer, file or message"},
		{[]string{"-baseline", missing, "-write-baseline", missing}, "-baseline and -write-baseline cannot be combined"},
		{[]string{"-fix", "-write-baseline", missing}, "-write-baseline cannot be combined with -fix"},
	} {
		r := lifeguard(t, append(tc.args, "./bad")...)
		if r.code != driver.ExitError || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("lifeguard %s: want exit status 2 and %q on stderr; got %v", strings.Join(tc.args, " "), tc.want, r)
		}
	}

	r := lifeguard(t, "-write-baseline", missing, "./...") // ./broken does not type-check
	if r.code != driver.ExitError || !strings.Contains(r.stderr, "lifeguard: -write-baseline: not writing "+missing+": the errors above") {
		t.Errorf("-write-baseline with package errors: want exit status 2 and a refusal; got %v", r)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("-write-baseline wrote %s despite package errors", missing)
	}
}

func readBaselineFile(t *testing.T, name string) baseline.File {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var b baseline.File
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, data)
	}
	return b
}

// replaceOnce replaces old, which must occur exactly once, in the file name.
func replaceOnce(t *testing.T, name, old, new string) {
	t.Helper()
	editFile(t, name, func(src string) string {
		if n := strings.Count(src, old); n != 1 {
			t.Fatalf("%q occurs %d times in %s, want once", old, n, name)
		}
		return strings.Replace(src, old, new, 1)
	})
}

// lineOf returns the number of the one line of the file name that holds
// text.
func lineOf(t *testing.T, name, text string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	found := ""
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, text) {
			if found != "" {
				t.Fatalf("%q is on more than one line of %s", text, name)
			}
			found = strconv.Itoa(i + 1)
		}
	}
	if found == "" {
		t.Fatalf("%q is not in %s", text, name)
	}
	return found
}

// insertAfterImports inserts text, a block of whole lines, after the
// import block of the Go file name, after a blank line, and returns how
// many lines it inserted. It fails the test if there is no import block.
func insertAfterImports(t *testing.T, name, text string) int {
	t.Helper()
	editFile(t, name, func(src string) string {
		i := strings.Index(src, "\nimport (")
		j := strings.Index(src[i+1:], "\n)\n")
		if i < 0 || j < 0 {
			t.Fatalf("%s has no import block", name)
		}
		at := i + 1 + j + len("\n)\n")
		return src[:at] + "\n" + text + src[at:]
	})
	return 1 + strings.Count(text, "\n")
}

// editFile rewrites the file name with edit.
func editFile(t *testing.T, name string, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(edit(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}
