package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
)

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
	if r.code != driver.ExitFindings || r.stderr != "" {
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
		c, ok := formattest.ParseWorkflowCommand(t, line)
		w := wants[i]
		if !ok || c.Name != "warning" {
			t.Fatalf("line %d is not a ::warning command: %q", i+1, line)
		}
		if c.Props["file"] != "sub/"+w.file || c.Props["line"] != strconv.Itoa(w.line) || c.Props["title"] != "lifeguard/"+w.analyzer {
			t.Errorf("annotation %q, want sub/%s:%d by lifeguard/%s", line, w.file, w.line, w.analyzer)
		}
		if col := c.Props["col"]; col != "" && col != strconv.Itoa(w.col) {
			t.Errorf("annotation %q: col %s, want %d (characters)", line, col, w.col)
		}
		if c.Props["endColumn"] != "" && c.Props["endLine"] != c.Props["line"] {
			t.Errorf("annotation %q: endColumn on another line than col", line)
		}
	}
	percent, _ := formattest.ParseWorkflowCommand(t, lines[1])
	if !strings.HasPrefix(lines[1], "::warning ") || !strings.Contains(lines[1], `"echo 100%25, a:b"`) || !strings.Contains(percent.Data, `"echo 100%, a:b"`) {
		t.Errorf("the Percent finding is not escaped as workflow data must be (%% only): %q", lines[1])
	}
	wide, _ := formattest.ParseWorkflowCommand(t, lines[2])
	if w := wants[2]; w.function != "Wide" || wide.Props["col"] != strconv.Itoa(w.col) || w.col == w.byteCol {
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
	notice, ok := formattest.ParseWorkflowCommand(t, lines[len(lines)-1])
	if !ok || notice.Name != "notice" || !strings.HasPrefix(notice.Data, strconv.Itoa(len(wants)-3)+" findings not annotated") {
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

// TestGitHubFormatDemo checks the default cap on the demo's 30 findings:
// 10 annotations (GitHub's limit per step), 20 plain lines, one notice; and
// -max-annotations=0, which lifts the cap. Without GITHUB_STEP_SUMMARY no
// summary is written and the notice does not mention one.
func TestGitHubFormatDemo(t *testing.T) {
	t.Parallel()
	demo := demoDir(t)
	top := filepath.Dir(filepath.Dir(demo))
	r := runEnv(t, top, nil, lifeguardBin, "-C", "testdata/demo", "-format=github", "./...")
	if r.code != driver.ExitFindings || r.stderr != "" {
		t.Fatalf("want exit status 1; got %v", r)
	}
	prefix, _ := filepath.Rel(repoRootOf(demo, demo), demo)
	count := func(out string) (warnings, plain, notices int, last string) {
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, line := range lines {
			c, ok := formattest.ParseWorkflowCommand(t, line)
			switch {
			case ok && c.Name == "warning":
				warnings++
				if !strings.HasPrefix(c.Props["file"], filepath.ToSlash(prefix)+"/") {
					t.Errorf("annotation %q: want the file relative to the repository root", line)
				}
			case ok && c.Name == "notice":
				notices++
			case strings.HasPrefix(line, "\t"): // a plain finding's related information
			default:
				plain++
			}
		}
		return warnings, plain, notices, lines[len(lines)-1]
	}
	if w, p, n, last := count(r.stdout); w != 10 || p != 20 || n != 1 || !strings.HasPrefix(last, "::notice title=lifeguard::20 findings not annotated") || strings.Contains(last, "summary") {
		t.Errorf("%d annotations, %d plain lines, %d notices, last %q; want 10, 20, 1 and the notice last:\n%s", w, p, n, last, r.stdout)
	}
	r = runEnv(t, top, nil, lifeguardBin, "-C", "testdata/demo", "-format=github", "-max-annotations=0", "./...")
	if w, p, n, _ := count(r.stdout); w != 30 || p != 0 || n != 0 {
		t.Errorf("-max-annotations=0: %d annotations, %d plain lines, %d notices; want 30, 0, 0", w, p, n)
	}
}
