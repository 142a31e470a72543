package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// pre-commit builds a golang hook with `go install ./...` at the hook
// repository's root: only the lifeguard command may be a main package there.
func TestOnlyLifeguardIsInstallable(t *testing.T) {
	t.Parallel()
	r := run(t, filepath.Join("..", ".."), goTool(), "list", "-f", `{{if eq .Name "main"}}{{.ImportPath}}{{end}}`, "./...")
	if r.code != 0 {
		t.Fatalf("go list: %v", r)
	}
	var mains []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line != "" {
			mains = append(mains, line)
		}
	}
	if want := []string{"github.com/lifeguard-go/lifeguard/cmd/lifeguard"}; !slices.Equal(mains, want) {
		t.Errorf("main packages that go install ./... would install: %q; want %q", mains, want)
	}
}

// TestPreCommitHook runs the hook of .pre-commit-hooks.yaml the way a user's
// repository would, through `pre-commit try-repo` on this checkout: on a
// fixture repository whose staged change starts a process and never waits,
// the hook fails and shows the finding; once the change waits, it passes.
// It needs pre-commit (.ci/run installs Debian's) and builds lifeguard with
// pre-commit's own `go install`, so it runs only with LIFEGUARD_PRECOMMIT=1.
func TestPreCommitHook(t *testing.T) {
	if os.Getenv("LIFEGUARD_PRECOMMIT") != "1" {
		t.Skip("set LIFEGUARD_PRECOMMIT=1 to run pre-commit (needs the pre-commit command)")
	}
	precommit, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Fatal("LIFEGUARD_PRECOMMIT=1 but no pre-commit command: apt-get install pre-commit")
	}
	hookRepo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+t.TempDir(), // pre-commit's own cache: a fresh build of the hook
		"GIT_AUTHOR_NAME=lifeguard", "GIT_AUTHOR_EMAIL=ci@example.com",
		"GIT_COMMITTER_NAME=lifeguard", "GIT_COMMITTER_EMAIL=ci@example.com",
		"GOWORK=off",
	)
	sh := func(name string, args ...string) result {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = repo
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
	copyFixture := func(which string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(hookRepo, "testdata", "precommit", which, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, "main.go"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := sh("git", "init", "-q"); r.code != 0 {
		t.Fatalf("git init: %v", r)
	}
	if err := os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module example.com/spawn\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The bug is staged: the hook fails and prints the finding.
	copyFixture("bad")
	sh("git", "add", "go.mod", "main.go")
	start := time.Now()
	r := sh(precommit, "try-repo", hookRepo, "lifeguard", "--verbose")
	t.Logf("pre-commit try-repo (building the hook): %v", time.Since(start).Round(time.Second))
	out := r.stdout + r.stderr
	if r.code == 0 {
		t.Fatalf("the hook passed a Start without Wait:\n%s", out)
	}
	if !strings.Contains(out, "main.go:11:12: cmd.Start without Wait") || !strings.Contains(out, "(cmdwait)") {
		t.Fatalf("the hook failed without showing the finding at main.go:11:\n%s", out)
	}
	if strings.Contains(out, "lifeguard: ") {
		t.Errorf("the hook reported an error of lifeguard's own, not a finding:\n%s", out)
	}

	// Fixed and staged: the hook passes, and the commit goes in.
	copyFixture("good")
	sh("git", "add", "main.go")
	start = time.Now()
	r = sh(precommit, "try-repo", hookRepo, "lifeguard", "--verbose")
	t.Logf("pre-commit try-repo (hook built): %v", time.Since(start).Round(time.Second))
	if r.code != 0 {
		t.Fatalf("the hook failed on a clean change:\n%s%s", r.stdout, r.stderr)
	}
	if c := sh("git", "commit", "-q", "-m", "spawn and wait"); c.code != 0 {
		t.Fatalf("git commit: %v", c)
	}
}
