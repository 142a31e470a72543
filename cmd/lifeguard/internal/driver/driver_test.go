package driver

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/analyzerflags"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/buildinfo"
)

// run runs the standalone command in this process.
func run(args ...string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	status = Run(args, analyzerflags.Offered(), &out, &errOut)
	return status, out.String(), errOut.String()
}

// TestUsageErrorsBeforeAnalysis: command lines that make no sense end with
// status 2 and a message naming the problem, before any package is loaded.
func TestUsageErrorsBeforeAnalysis(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.json")
	var allOff []string
	for _, a := range analyzerflags.Offered() {
		allOff = append(allOff, "-"+a.Name+"=false")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"-format=xml"}, `unknown -format "xml" (want one of checkstyle, github, gitlab, json, sarif, text)`},
		{[]string{"-fix", "-json"}, "-fix cannot be combined with -format=json"},
		{[]string{"-max-annotations=-1"}, "-max-annotations must be 0 (no limit) or more"},
		{[]string{"-root", missing}, "-root: stat " + missing},
		{[]string{"-baseline", missing, "-write-baseline", missing}, "-baseline and -write-baseline cannot be combined"},
		{[]string{"-diff", "-write-baseline", missing}, "-write-baseline cannot be combined with -fix"},
		{[]string{"-baseline", missing}, "lifeguard: -baseline: open " + missing},
		{allOff, "every analyzer is disabled"},
	} {
		status, stdout, stderr := run(tc.args...)
		if status != ExitError || stdout != "" || !strings.HasPrefix(stderr, "lifeguard: ") || !strings.Contains(stderr, tc.want) {
			t.Errorf("lifeguard %s: status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(tc.args, " "), status, stdout, stderr, tc.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	status, stdout, stderr := run("-version", "./...")
	if want := buildinfo.Version() + "\n"; status != ExitClean || stdout != want || stderr != "" {
		t.Errorf("-version: status %d, stdout %q, stderr %q; want 0 and %q", status, stdout, stderr, want)
	}
}

// TestRepoRoot: -root wins; else the nearest directory with a .git entry
// (a worktree's .git is a file) from the load directory up; else the main
// module's root; else the load directory.
func TestRepoRoot(t *testing.T) {
	repo := t.TempDir()
	module := filepath.Join(repo, "sub", "mod")
	dir := filepath.Join(module, "pkg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mainModule := []*packages.Package{{Module: &packages.Module{Main: true, Dir: module}}}
	check := func(what, flagRoot string, pkgs []*packages.Package, want string) {
		t.Helper()
		got, err := repoRoot(flagRoot, dir, pkgs)
		if err != nil || got != want {
			t.Errorf("%s: repoRoot = %q, %v; want %q", what, got, err, want)
		}
	}
	check("no .git, no module", "", nil, dir)
	check("no .git", "", mainModule, module)
	if err := os.WriteFile(filepath.Join(repo, ".git"), []byte("gitdir: /elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(".git file above", "", mainModule, repo)
	check("-root", module, mainModule, module)
	if _, err := repoRoot(filepath.Join(repo, ".git"), dir, nil); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("-root naming a file: %v", err)
	}
}
