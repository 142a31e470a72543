package plugin

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The build-and-run test: it builds a real golangci-lint with the plugin,
// the way `golangci-lint custom` does, and runs it on the fixture module
// testdata/golangci with .golangci.example.yml and with configurations of
// its own. It needs the module proxy (or a module cache holding
// golangci-lint and its dependencies) and takes a minute or more, so it
// runs only with LIFEGUARD_GOLANGCI=1:
//
//	LIFEGUARD_GOLANGCI=1 go test ./plugin -run TestGolangci -count=1 -v

const (
	golangciModule  = "github.com/golangci/golangci-lint/v2"
	golangciVersion = "v2.15.0" // what .custom-gcl.example.yml must say
	lifeguardModule = "github.com/lifeguard-go/lifeguard"
)

func TestGolangci(t *testing.T) {
	if os.Getenv("LIFEGUARD_GOLANGCI") != "1" {
		t.Skip("set LIFEGUARD_GOLANGCI=1 to build golangci-lint " + golangciVersion + " with the plugin and run it on testdata/golangci (slow; needs the module proxy)")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(fixture)
	if err != nil {
		t.Fatal(err)
	}
	custom := readCustomGCL(t, filepath.Join(root, ".custom-gcl.example.yml"))
	if custom.version != golangciVersion {
		t.Fatalf(".custom-gcl.example.yml builds golangci-lint %s; this test builds %s", custom.version, golangciVersion)
	}
	if custom.module != lifeguardModule || custom.importPath != lifeguardModule+"/plugin" {
		t.Fatalf(".custom-gcl.example.yml plugin is module %q import %q; want %s and %s/plugin", custom.module, custom.importPath, lifeguardModule, lifeguardModule)
	}

	start := time.Now()
	bin := buildGolangci(t, root, custom)
	t.Logf("built golangci-lint %s with the plugin in %.1fs", golangciVersion, time.Since(start).Seconds())

	cache := t.TempDir() // golangci-lint's own cache, shared by the runs
	cfgDir := t.TempDir()
	want := readWants(t, dir)
	example := filepath.Join(root, ".golangci.example.yml")

	t.Run("example", func(t *testing.T) {
		// Twice: the second run takes the issues from golangci-lint's
		// cache, which must give the same.
		for _, pass := range []string{"cold lint cache", "warm lint cache"} {
			r := runGolangci(t, bin, cache, dir, example, "./...")
			t.Logf("%s: %d issues in %.1fs", pass, len(r.issues), r.took.Seconds())
			r.expect(t, 1, want["example"])
			// golangci-lint knows no linter ctxbreak: the plugin applies
			// //nolint:ctxbreak itself, and golangci-lint warns.
			if !strings.Contains(r.stderr, "Found unknown linters in //nolint directives: ctxbreak") {
				t.Errorf("no warning about //nolint:ctxbreak; stderr:\n%s", r.stderr)
			}
		}
	})

	t.Run("clean", func(t *testing.T) {
		r := runGolangci(t, bin, cache, dir, example, "./clean/...")
		t.Logf("%d issues in %.1fs", len(r.issues), r.took.Seconds())
		r.expect(t, 0, nil)
	})

	// lifeguard alone, with its bundled go vet and staticcheck checks, and
	// nolintlint: the //nolint:lifeguard directives that golangci-lint
	// applied are used; only the one that suppresses nothing is reported.
	// No knobs: proc.Reap is not taken for a Wait.
	t.Run("bundled", func(t *testing.T) {
		cfg := writeConfig(t, cfgDir, "bundled.yml", `
linters:
  default: none
  enable: [lifeguard, nolintlint]
  settings:
    custom:
      lifeguard:
        type: module
        description: lifeguard
        settings:
          vet: true
          staticcheck: true
`)
		r := runGolangci(t, bin, cache, dir, cfg, "./...")
		t.Logf("%d issues in %.1fs", len(r.issues), r.took.Seconds())
		r.expect(t, 1, want["bundled"])
	})

	// Everything at once: golangci-lint's govet with all its analyzers and
	// its staticcheck next to lifeguard's copies of lostcancel and SA1012.
	// The same analyzer names in two linters break nothing; each such
	// finding is reported once by each linter (uniq-by-line, on by default,
	// would keep one of the two).
	t.Run("both", func(t *testing.T) {
		cfg := writeConfig(t, cfgDir, "both.yml", `
linters:
  default: standard
  enable: [lifeguard]
  settings:
    govet:
      enable-all: true
    custom:
      lifeguard:
        type: module
        description: lifeguard
        settings:
          vet: true
          staticcheck: true
          cmdwait:
            wait-funcs: example.com/app/internal/proc.Reap
issues:
  uniq-by-line: false
`)
		r := runGolangci(t, bin, cache, dir, cfg, "./...")
		t.Logf("%d issues in %.1fs", len(r.issues), r.took.Seconds())
		r.expect(t, 1, want["both"])
	})

	t.Run("bad settings", func(t *testing.T) {
		cfg := writeConfig(t, cfgDir, "bad.yml", `
linters:
  default: none
  enable: [lifeguard]
  settings:
    custom:
      lifeguard:
        type: module
        settings:
          enable: [cmdwiat]
`)
		r := runGolangci(t, bin, cache, dir, cfg, "./...")
		if r.exit == 0 || r.exit == 1 || !strings.Contains(r.stderr, `lifeguard: enable: unknown analyzer "cmdwiat"`) {
			t.Errorf("golangci-lint exited %d; want a failure naming the bad setting; stderr:\n%s", r.exit, r.stderr)
		}
	})
}

// customGCL is what the test takes from .custom-gcl.example.yml.
type customGCL struct {
	version, module, importPath string
}

// readCustomGCL reads the few keys of .custom-gcl.example.yml the build
// needs, line by line: lifeguard's module requires no YAML parser.
func readCustomGCL(t *testing.T, path string) customGCL {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c customGCL
	plugins := 0
	for line := range strings.SplitSeq(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		key, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"'`)
		switch strings.TrimPrefix(key, "- ") {
		case "version":
			if !strings.HasPrefix(line, " ") {
				c.version = value
			}
		case "module":
			plugins++
			c.module = value
		case "import":
			c.importPath = value
		}
	}
	if plugins != 1 {
		t.Fatalf("%s: %d plugins, want 1", path, plugins)
	}
	return c
}

// buildGolangci builds golangci-lint with the plugin the way `golangci-lint
// custom` does (pkg/commands/internal/builder.go), from the module proxy
// instead of a git clone: golangci-lint's source at golangciVersion, a
// cmd/golangci-lint/plugins.go that blank-imports the plugin, a replace
// directive to this checkout (the .custom-gcl.yml "path" form), go mod
// tidy, go build ./cmd/golangci-lint. It checks that the plugin changes no
// requirement of golangci-lint's.
//
// The copy of golangci-lint's source is made afresh each time, in the same
// directory of the user's cache directory: built without -trimpath, as
// custom builds, golangci-lint's own packages are cached by directory, and a
// new directory each time would mean compiling all of them again. A lock
// on the directory keeps concurrent runs of the test apart.
func buildGolangci(t *testing.T, root string, custom customGCL) string {
	t.Helper()
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	work := filepath.Join(base, "lifeguard", "golangci-lint-"+golangciVersion)
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(work, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() }) // and the lock with it
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-buildvcs=false")
	gocmd := func(dir string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		t.Logf("go %s: %.1fs", strings.Join(args, " "), time.Since(start).Seconds())
		return out
	}

	var mod struct{ Dir string }
	if err := json.Unmarshal(gocmd(work, "mod", "download", "-json", golangciModule+"@"+golangciVersion), &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: no directory (%v)", err)
	}
	src := filepath.Join(work, "golangci-lint")
	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	if err := copyTree(mod.Dir, src); err != nil {
		t.Fatal(err)
	}
	before := requirements(t, gocmd(src, "mod", "edit", "-json"))

	// What custom's updatePluginsFile writes.
	plugins := filepath.Join(src, "cmd", "golangci-lint", "plugins.go")
	if _, err := os.Stat(plugins); err != nil {
		t.Fatalf("golangci-lint %s has no cmd/golangci-lint/plugins.go to replace: %v", golangciVersion, err)
	}
	if err := os.WriteFile(plugins, []byte("package main\n\nimport (\n\t_ \""+custom.importPath+"\"\n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gocmd(src, "mod", "edit", "-replace", custom.module+"="+root)
	gocmd(src, "mod", "tidy")

	after := requirements(t, gocmd(src, "mod", "edit", "-json"))
	for path, v := range before {
		if after[path] != v {
			t.Errorf("adding the plugin changed golangci-lint's requirement %s %s to %q", path, v, after[path])
		}
	}
	for path, v := range after {
		if before[path] == "" && path != custom.module {
			t.Errorf("adding the plugin added the requirement %s %s", path, v)
		}
	}

	bin := filepath.Join(t.TempDir(), "golangci-lint-lifeguard")
	version := golangciVersion + "-custom-gcl-lifeguard"
	gocmd(src, "build", "-ldflags", fmt.Sprintf("-s -w -X 'main.version=%s' -X 'main.date=%s'", version, time.Now().UTC()),
		"-o", bin, "./cmd/golangci-lint")

	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), version) {
		t.Fatalf("%s version: %v\n%s", bin, err, out)
	}
	// The binary holds the module versions lifeguard pins.
	info := string(gocmd(work, "version", "-m", bin))
	for _, dep := range []string{"golang.org/x/tools\tv0.52.0", "honnef.co/go/tools\tv0.8.2", "github.com/golangci/plugin-module-register\tv0.1.2", custom.module + "\t"} {
		if !strings.Contains(info, "\t"+dep) {
			t.Errorf("the binary has no %s:\n%s", strings.ReplaceAll(dep, "\t", " "), info)
		}
	}
	return bin
}

// requirements maps each module go.mod requires to its version.
func requirements(t *testing.T, modJSON []byte) map[string]string {
	t.Helper()
	var m struct {
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(modJSON, &m); err != nil {
		t.Fatal(err)
	}
	req := map[string]string{}
	for _, r := range m.Require {
		req[r.Path] = r.Version
	}
	return req
}

// copyTree copies the module cache's read-only tree to a writable one.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

func writeConfig(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("version: \"2\"\n"+strings.TrimPrefix(body, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue is one issue of golangci-lint's JSON output.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
}

type result struct {
	dir    string
	issues []issue
	stderr string
	exit   int
	took   time.Duration
}

// runGolangci runs golangci-lint in dir with config, every issue shown
// (no per-linter or same-text caps), as JSON with absolute paths.
func runGolangci(t *testing.T, bin, cache, dir, config string, patterns ...string) result {
	t.Helper()
	args := append([]string{"run", "--config", config, "--allow-parallel-runners",
		"--max-issues-per-linter", "0", "--max-same-issues", "0",
		"--path-mode", "abs", "--show-stats=false", "--output.json.path", "stdout"}, patterns...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+cache, "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{dir: dir, stderr: stderr.String(), took: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.exit = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if r.exit == 0 || r.exit == 1 {
		var out struct{ Issues []issue }
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("golangci-lint %s: exit %d, output not JSON (%v):\n%s\nstderr:\n%s", strings.Join(args, " "), r.exit, err, stdout.Bytes(), r.stderr)
		}
		r.issues = out.Issues
	}
	return r
}

// want is an expected issue: a "want:RUN LINTER "TEXT"" comment of the
// fixture.
type want struct {
	file        string // relative to the fixture
	line        int
	linter      string
	text        string
	matchedWith *issue
}

func (w want) String() string { return fmt.Sprintf("%s:%d: %s %q", w.file, w.line, w.linter, w.text) }

var wantRE = regexp.MustCompile(`want:(\w+) (\S+) "([^"]*)"`)

// readWants collects the fixture's expectations, by run.
func readWants(t *testing.T, dir string) map[string][]want {
	t.Helper()
	wants := map[string][]want{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			for _, m := range wantRE.FindAllStringSubmatch(sc.Text(), -1) {
				wants[m[1]] = append(wants[m[1]], want{file: filepath.ToSlash(rel), line: line, linter: m[2], text: m[3]})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []string{"example", "bundled", "both"} {
		if len(wants[run]) == 0 {
			t.Fatalf("the fixture expects nothing of run %s", run)
		}
	}
	return wants
}

// expect checks the exit status and that the issues are exactly wants: each
// issue matches one want by file, line, linter and text, and every want is
// matched.
func (r result) expect(t *testing.T, exit int, wants []want) {
	t.Helper()
	if r.exit != exit {
		t.Errorf("golangci-lint exited %d, want %d; stderr:\n%s", r.exit, exit, r.stderr)
	}
	wants = slices.Clone(wants)
	for i := range r.issues {
		is := &r.issues[i]
		rel, err := filepath.Rel(r.dir, is.Pos.Filename)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = is.Pos.Filename
		}
		rel = filepath.ToSlash(rel)
		found := false
		for j := range wants {
			w := &wants[j]
			if w.matchedWith == nil && w.file == rel && w.line == is.Pos.Line && w.linter == is.FromLinter && strings.Contains(is.Text, w.text) {
				w.matchedWith = is
				found = true
				break
			}
		}
		if !found {
			t.Errorf("unexpected issue %s:%d:%d: %s (%s)", rel, is.Pos.Line, is.Pos.Column, is.Text, is.FromLinter)
		}
	}
	for _, w := range wants {
		if w.matchedWith == nil {
			t.Errorf("missing issue %s", w)
		}
	}
	if t.Failed() && r.stderr != "" {
		t.Logf("stderr:\n%s", r.stderr)
	}
}
