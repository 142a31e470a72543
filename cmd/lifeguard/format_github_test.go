package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// A workflowCommand is one parsed "::name props::data" line.
type workflowCommand struct {
	name  string
	props map[string]string // unescaped
	data  string            // unescaped
}

var commandLine = regexp.MustCompile(`^::(\w+)(?: ([^:]*))?::(.*)$`)

// parseCommand parses a workflow command line as the runner does, failing
// on characters that should have been escaped.
func parseCommand(t *testing.T, line string) (workflowCommand, bool) {
	t.Helper()
	m := commandLine.FindStringSubmatch(line)
	if m == nil {
		return workflowCommand{}, false
	}
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	c := workflowCommand{name: m[1], props: make(map[string]string), data: unescape.Replace(m[3])}
	if m[2] != "" {
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Errorf("property %q of %q is not key=value", kv, line)
			}
			c.props[k] = unescape.Replace(v)
		}
	}
	if strings.ContainsAny(m[3], "\r\n") || regexp.MustCompile(`%(?:[^0-9A-F]|$|[0-9A-F](?:[^0-9A-F]|$))`).MatchString(m[3]) {
		t.Errorf("unescaped %% or line break in the data of %q", line)
	}
	return c, true
}

// TestGitHubFormat runs -format=github in a repository whose module is in a
// subdirectory: annotations name files relative to the repository root,
// with character columns, the title lifeguard/ANALYZER and escaped data;
// -max-annotations caps them, the rest are plain lines and one final
// notice counts them; the step summary is appended to
// $GITHUB_STEP_SUMMARY with every finding, linked to the commit.
func TestGitHubFormat(t *testing.T) {
	t.Parallel()
	_, module := ciFixture(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("an earlier step's summary\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"GITHUB_STEP_SUMMARY=" + summary,
		"GITHUB_SERVER_URL=https://github.example",
		"GITHUB_REPOSITORY=o/r",
		"GITHUB_SHA=abc123",
	}
	r := runEnv(t, module, env, lifeguardBin, "-format=github", "-max-annotations=3", "./...")
	if r.code != exitFindings || r.stderr != "" {
		t.Fatalf("want exit status 1, nothing on stderr; got %v", r)
	}
	wants := ciWants(t, module)
	// Findings past the cap are plain lines, each followed by its related
	// information, indented as in the text format.
	var lines []string
	for line := range strings.SplitSeq(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if !strings.HasPrefix(line, "\t") {
			lines = append(lines, line)
		}
	}
	if len(lines) != len(wants)+1 {
		t.Fatalf("%d lines, want %d findings and a notice:\n%s", len(lines), len(wants), r.stdout)
	}

	// The first three are annotations, in the order of the findings.
	for i, line := range lines[:3] {
		c, ok := parseCommand(t, line)
		w := wants[i]
		if !ok || c.name != "warning" {
			t.Fatalf("line %d is not a ::warning command: %q", i+1, line)
		}
		if c.props["file"] != "sub/"+w.file || c.props["line"] != strconv.Itoa(w.line) || c.props["title"] != "lifeguard/"+w.analyzer {
			t.Errorf("annotation %q, want sub/%s:%d by lifeguard/%s", line, w.file, w.line, w.analyzer)
		}
		if col := c.props["col"]; col != "" && col != strconv.Itoa(w.col) {
			t.Errorf("annotation %q: col %s, want %d (characters)", line, col, w.col)
		}
		if c.props["endColumn"] != "" && c.props["endLine"] != c.props["line"] {
			t.Errorf("annotation %q: endColumn on another line than col", line)
		}
	}
	percent, _ := parseCommand(t, lines[1])
	if !strings.HasPrefix(lines[1], "::warning ") || !strings.Contains(lines[1], `"echo 100%25, a:b"`) || !strings.Contains(percent.data, `"echo 100%, a:b"`) {
		t.Errorf("the Percent finding is not escaped as workflow data must be (%% only): %q", lines[1])
	}
	wide, _ := parseCommand(t, lines[2])
	if w := wants[2]; w.function != "Wide" || wide.props["col"] != strconv.Itoa(w.col) || w.col == w.byteCol {
		t.Errorf("the Wide finding %q: want col=%d, in characters (byte column %d)", lines[2], w.col, w.byteCol)
	}

	// The rest are plain lines, then the notice.
	for i, line := range lines[3:len(wants)] {
		w := wants[3+i]
		if strings.HasPrefix(line, "::") || !strings.HasPrefix(line, "sub/"+w.file+":"+strconv.Itoa(w.line)+":"+strconv.Itoa(w.byteCol)+": ") ||
			!strings.HasSuffix(line, "("+w.analyzer+")") {
			t.Errorf("line %d: %q, want a plain line for %+v", 4+i, line, w)
		}
	}
	notice, ok := parseCommand(t, lines[len(lines)-1])
	if !ok || notice.name != "notice" || !strings.HasPrefix(notice.data, strconv.Itoa(len(wants)-3)+" findings not annotated") {
		t.Errorf("last line %q, want a notice that %d findings were not annotated", lines[len(lines)-1], len(wants)-3)
	}

	// The summary: appended, with every finding, linked.
	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	sum := string(data)
	if !strings.HasPrefix(sum, "an earlier step's summary\n### lifeguard\n") {
		t.Errorf("the summary is not appended to the file:\n%s", sum)
	}
	if !strings.Contains(sum, strconv.Itoa(len(wants))+" findings.") || !strings.Contains(sum, "| Location | Analyzer | Finding |") {
		t.Errorf("the summary does not count the findings in a table:\n%s", sum)
	}
	for _, w := range wants {
		link := "https://github.example/o/r/blob/abc123/sub/" + w.file + "#L" + strconv.Itoa(w.line)
		if !strings.Contains(sum, link) {
			t.Errorf("the summary has no link %s", link)
		}
	}
	if rows := strings.Count(sum, "\n| ["); rows != len(wants) {
		t.Errorf("%d rows in the summary, want %d", rows, len(wants))
	}
	if !strings.Contains(sum, `(\*Server).ServeHTTP`) {
		t.Errorf("the summary does not escape the Markdown in messages:\n%s", sum)
	}
}

// TestGitHubFormatDemo checks the default cap on the demo's 16 findings:
// 10 annotations (GitHub's limit per step), 6 plain lines, one notice; and
// -max-annotations=0, which lifts the cap. Without GITHUB_STEP_SUMMARY no
// summary is written and the notice does not mention one.
func TestGitHubFormatDemo(t *testing.T) {
	t.Parallel()
	demo := demoDir(t)
	top := filepath.Dir(filepath.Dir(demo))
	r := runEnv(t, top, nil, lifeguardBin, "-C", "testdata/demo", "-format=github", "./...")
	if r.code != exitFindings || r.stderr != "" {
		t.Fatalf("want exit status 1; got %v", r)
	}
	prefix, _ := filepath.Rel(repoRootOf(demo, demo), demo)
	count := func(out string) (warnings, plain, notices int, last string) {
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, line := range lines {
			c, ok := parseCommand(t, line)
			switch {
			case ok && c.name == "warning":
				warnings++
				if !strings.HasPrefix(c.props["file"], filepath.ToSlash(prefix)+"/") {
					t.Errorf("annotation %q: want the file relative to the repository root", line)
				}
			case ok && c.name == "notice":
				notices++
			case strings.HasPrefix(line, "\t"): // a plain finding's related information
			default:
				plain++
			}
		}
		return warnings, plain, notices, lines[len(lines)-1]
	}
	if w, p, n, last := count(r.stdout); w != 10 || p != 6 || n != 1 || !strings.HasPrefix(last, "::notice title=lifeguard::6 findings not annotated") || strings.Contains(last, "summary") {
		t.Errorf("%d annotations, %d plain lines, %d notices, last %q; want 10, 6, 1 and the notice last:\n%s", w, p, n, last, r.stdout)
	}
	r = runEnv(t, top, nil, lifeguardBin, "-C", "testdata/demo", "-format=github", "-max-annotations=0", "./...")
	if w, p, n, _ := count(r.stdout); w != 16 || p != 0 || n != 0 {
		t.Errorf("-max-annotations=0: %d annotations, %d plain lines, %d notices; want 16, 0, 0", w, p, n)
	}
}

// TestGitHubEscaping checks the escaping of workflow commands on a report
// made in the test: a file name with : and ,, a message with %, CR and LF
// (from related information too).
func TestGitHubEscaping(t *testing.T) {
	if got, want := escapeProperty("a%b:c,d\re\nf"), "a%25b%3Ac%2Cd%0De%0Af"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	if got, want := escapeData("100%: a,b\r\nc"), "100%25: a,b%0D%0Ac"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	root := t.TempDir()
	name := filepath.Join(root, "we:ird,name.go")
	rep := syntheticReport(root, name, 3)
	rep.findings[0].message = "50% of\r\nthe time"
	rep.findings[0].related = []relatedInfo{{posn: pos(name, 2, 1), end: pos(name, 2, 1), message: "because, here: this"}}
	var out bytes.Buffer
	if err := (githubFormat{}).write(&out, rep); err != nil {
		t.Fatal(err)
	}
	line := strings.Split(out.String(), "\n")[0]
	want := "::warning file=we%3Aird%2Cname.go,line=1,col=1,title=lifeguard/cmdwait::50%25 of%0D%0Athe time%0Awe:ird,name.go:2:1: because, here: this"
	if line != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
	c, ok := parseCommand(t, line)
	if !ok || c.props["file"] != "we:ird,name.go" || c.data != "50% of\r\nthe time\nwe:ird,name.go:2:1: because, here: this" {
		t.Errorf("parsed back as %+v", c)
	}
}

// --- Checkstyle and GitLab ---

// syntheticReport returns a report of n cmdwait findings in the file name,
// one a line from line 1, with root as the repository root.
func syntheticReport(root, name string, n int) *report {
	a := &analysis.Analyzer{Name: "cmdwait", URL: "https://example.com/cmdwait"}
	rep := &report{analyzers: []*analysis.Analyzer{a}, paths: newPathDisplay(root), root: newPathDisplay(root)}
	for i := range n {
		rep.findings = append(rep.findings, &finding{
			analyzer: a,
			posn:     pos(name, i+1, 1),
			end:      pos(name, i+1, 1),
			message:  "finding " + string(rune('a'+i)),
		})
	}
	return rep
}

func TestMarkdownEscape(t *testing.T) {
	if got, want := markdownEscape("(*Server).handle_x | <-ch & `a`\nb"), "(\\*Server).handle\\_x \\| \\<-ch &amp; \\`a\\`<br>b"; got != want {
		t.Errorf("markdownEscape = %q, want %q", got, want)
	}
}
