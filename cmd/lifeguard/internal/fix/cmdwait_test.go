package fix_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/fix"
)

const waitSource = `package waits

import (
	"context"
	"os/exec"
)

func ExitCode(ctx context.Context) int {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return -1
	}
	state, _ := cmd.Process.Wait()
	return state.ExitCode()
}

func Twice() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	return nil
}
`

const waitFixed = `package waits

import (
	"context"
	"os/exec"
)

func ExitCode(ctx context.Context) int {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return -1
	}
	_ = cmd.Wait()
	state := cmd.ProcessState
	return state.ExitCode()
}

func Twice() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	return nil
}
`

// cmdwait's fixes end to end, as -fix and -diff apply them: the real
// analyzer on a module, the files rewritten, and the result builds.
func TestCmdwaitFixes(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":  "module example.com/waits\n\ngo 1.26\n",
		"wait.go": waitSource,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	analyze := func() int {
		rep, err := driver.Analyze(&driver.Request{Dir: dir, Patterns: []string{"."}, Analyzers: []*analysis.Analyzer{cmdwait.Analyzer}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) > 0 {
			t.Fatalf("errors: %q", rep.Errors)
		}
		return len(rep.Findings)
	}
	rep, err := driver.Analyze(&driver.Request{Dir: dir, Patterns: []string{"."}, Analyzers: []*analysis.Analyzer{cmdwait.Analyzer}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 2 {
		t.Fatalf("findings: %d, want the Process.Wait and the Wait after Run", len(rep.Findings))
	}

	t.Chdir(dir)
	var diffOut, out, stderr bytes.Buffer
	if _, err := fix.Apply(rep, &diffOut, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"-\tstate, _ := cmd.Process.Wait()\n", "+\t_ = cmd.Wait()\n", "+\tstate := cmd.ProcessState\n", "-\tif err := cmd.Wait(); err != nil {\n"} {
		if !strings.Contains(diffOut.String(), s) {
			t.Errorf("-diff does not show %q:\n%s", s, diffOut.String())
		}
	}

	if _, err := fix.Apply(rep, nil, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "wait.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != waitFixed {
		t.Errorf("wait.go after -fix:\n%s\nwant:\n%s", got, waitFixed)
	}
	build := exec.Command("go", "vet", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Errorf("the fixed module does not build: %v\n%s", err, out)
	}
	if n := analyze(); n != 0 {
		t.Errorf("after -fix: %d findings, want none", n)
	}
}
