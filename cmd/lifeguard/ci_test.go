package main

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The tests of the CI formats (github, sarif, checkstyle, gitlab) run the
// binary on testdata/ci, copied to a temporary directory so that its
// repository root is known, and on the e2e fixture and the demo module in
// place.

// A ciWant is a finding testdata/ci expects: a line marked
//
//	// ci:want ANALYZER FUNCTION
type ciWant struct {
	file     string // slash-separated, relative to the fixture module
	line     int
	col      int // where the finding starts, in characters from 1
	byteCol  int // the same in bytes, as token.Position has it
	analyzer string
	function string
}

var ciMarker = regexp.MustCompile(`// ci:want (\w+) (\S+)`)

// ciWants reads the markers of the fixture module at dir. The column is
// not in the marker: it is where the reported call or statement starts,
// which the test finds from the analyzer (see wantColumn).
func ciWants(t *testing.T, dir string) []ciWant {
	t.Helper()
	var wants []ciWant
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			if m := ciMarker.FindStringSubmatch(sc.Text()); m != nil {
				w := ciWant{file: filepath.ToSlash(rel), line: line, analyzer: m[1], function: m[2]}
				w.byteCol, w.col = wantColumn(sc.Text(), m[1])
				wants = append(wants, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) == 0 {
		t.Fatalf("no ci:want markers in %s", dir)
	}
	return wants
}

// wantColumn returns where on text each analyzer's finding starts, in bytes
// and in characters: the call of cmd.Start or exec.Command(...).Start for
// cmdwait, context.Background for ctxbreak, the go statement for
// handlerrecover.
func wantColumn(text, analyzer string) (byteCol, charCol int) {
	var i int
	switch analyzer {
	case "cmdwait":
		i = strings.Index(text, "cmd.Start")
		if j := strings.Index(text, "exec.Command("); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	case "ctxbreak":
		i = strings.Index(text, "context.Background")
	case "handlerrecover":
		i = strings.Index(text, "go func")
	}
	return i + 1, utf8.RuneCountInString(text[:i]) + 1
}

// copyDir copies the directory tree src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ciFixture copies testdata/ci into a fresh repository: a temporary
// directory with a .git directory, the fixture module under sub/. It
// returns the repository root and the module's directory.
func ciFixture(t *testing.T) (repo, module string) {
	t.Helper()
	repo = t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	module = filepath.Join(repo, "sub")
	copyDir(t, filepath.Join("testdata", "ci"), module)
	return repo, module
}

// runEnv is run with the GitHub Actions variables of the test's own
// environment removed (so that a test running in GitHub Actions does not
// write to its step summary) and env added.
func runEnv(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GITHUB_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exitErr := (*exec.ExitError)(nil); errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// repoRootOf is the repository root lifeguard should find for packages
// loaded in dir: the nearest directory with .git, else moduleDir.
func repoRootOf(dir, moduleDir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return moduleDir
		}
	}
}

func demoDir(t *testing.T) string {
	t.Helper()
	demo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	return demo
}

// --- SARIF ---
