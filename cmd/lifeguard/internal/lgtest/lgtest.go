// Package lgtest is "lifeguard test": it runs a module's tests with the
// standard library's os, io and net built from an overlay that records
// where every file descriptor, child process and io.Pipe was made, and
// with runtimecheck's build tag, so that each leak runtimecheck reports
// carries the line that made it. Then it runs lifeguard's static analysis
// on the same packages and joins the two: each finding whose line made a
// leak is "confirmed by" the test that leaked, and each leak that no
// finding explains is listed apart, as what the analyzers missed. See
// docs/lifeguard-test.md.
package lgtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/analyzerflags"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/baseline"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/output"
	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// ExitTestsFailed is the exit status of lifeguard test when go test failed:
// a test (leak checks included) failed, or did not build. The others are
// the standalone command's: driver.ExitClean (tests passed, no finding, no
// leak), driver.ExitFindings (tests passed; findings or leaks) and
// driver.ExitError (lifeguard could not do its job).
const ExitTestsFailed = 3

// traceBuildTag is the build tag runtimecheck's trace_on.go needs.
const traceBuildTag = "lifeguard_trace"

// autoEnv turns the automatic check of the test binaries off when "off"
// (runtimecheck's auto.go).
const autoEnv = "LIFEGUARD_AUTO"

// testFormats are the output formats of lifeguard test.
var testFormats = []string{"text", "json", "sarif"}

// testOptions is a parsed "lifeguard test" command line.
type testOptions struct {
	driver.Request        // the static half: -C, the analyzers, the packages, -tags
	format         string // -format, or "json" from -json
	staticcheck    bool   // -staticcheck
	noauto         bool   // -lgtest.noauto
	baselineFile   string // -baseline
	baseline       *baseline.File
	args           *testArgs
}

// Run is the whole "lifeguard test" command, with all the analyzers the
// binary offers; it returns the exit status.
func Run(args []string, all []*analysis.Analyzer, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "lifeguard test: internal error: %v\n%s", r, debug.Stack())
			status = driver.ExitError
		}
	}()

	opts, err := parseTestArgs(args, all)
	if errors.Is(err, flag.ErrHelp) {
		printTestUsage(stdout)
		return driver.ExitClean
	}
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\nRun 'lifeguard test -help' for usage.\n", err)
		return driver.ExitError
	}

	if opts.baselineFile != "" {
		// Read before the tests run, which takes far longer than this.
		if opts.baseline, err = baseline.Read(opts.baselineFile); err != nil {
			fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
			return driver.ExitError
		}
	}

	dir, err := opts.workDir()
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}
	env, err := readGoEnv(dir)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}
	if err := env.check(opts.args); err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}

	tmp, err := os.MkdirTemp("", "lifeguard-test-")
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}
	defer os.RemoveAll(tmp)

	overlay, err := prepareOverlay(env, opts.args, dir, tmp)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}

	// The tests' output is the user's to read as it comes; with a machine
	// format, stdout is for the document alone.
	testOut := stdout
	if opts.format != "text" {
		testOut = stderr
	}
	traceOut := filepath.Join(tmp, "leaks.jsonl")
	goStatus, err := runGoTest(dir, env, opts.args, overlay, traceOut, !opts.noauto, testOut, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}
	records, warnings := leakrecord.Read(traceOut)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "lifeguard test: %s\n", w)
	}

	rep, err := driver.Analyze(&opts.Request)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard test: %v\n", err)
		return driver.ExitError
	}
	for _, msg := range rep.Errors {
		fmt.Fprintf(stderr, "lifeguard: %s\n", msg)
	}

	tr := joinLeaks(rep, records)
	tr.goStatus = goStatus
	if opts.baseline != nil {
		_, stale := baseline.Apply(rep, opts.baseline)
		tr.dropHidden()
		baseline.ReportStale(stderr, opts.baselineFile, stale)
	}
	if err := writeTestReport(stdout, opts.format, tr); err != nil {
		fmt.Fprintf(stderr, "lifeguard test: writing %s output: %v\n", opts.format, err)
		return driver.ExitError
	}

	switch {
	case len(rep.Errors) > 0 || goStatus > 1:
		return driver.ExitError
	case goStatus == 1:
		return ExitTestsFailed
	case opts.format == "text" && (len(rep.Findings) > 0 || len(tr.records) > 0):
		return driver.ExitFindings
	}
	return driver.ExitClean
}

// parseTestArgs parses a lifeguard test command line.
func parseTestArgs(args []string, all []*analysis.Analyzer) (*testOptions, error) {
	opts := &testOptions{Request: driver.Request{Tests: true, Cache: true}, format: "text"}
	fs := flag.NewFlagSet("lifeguard test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.Dir, "C", "", "run go test and load packages in `dir`")
	fs.StringVar(&opts.format, "format", opts.format, "output `format`: "+strings.Join(testFormats, ", "))
	fs.Var(output.JSONFlag{Format: &opts.format}, "json", "same as -format=json")
	fs.BoolVar(&opts.staticcheck, "staticcheck", false, analyzerflags.StaticcheckUsage)
	fs.BoolVar(&opts.noauto, "lgtest.noauto", false, "check only the tests that call runtimecheck (no automatic check)")
	fs.BoolVar(&opts.Cache, "cache", opts.Cache, "use and fill lifeguard's result cache, as the standalone command does")
	fs.StringVar(&opts.baselineFile, "baseline", "", "leave out the findings lifeguard -write-baseline recorded in the baseline `file`, and the leaks that confirm them")
	help := fs.Bool("help", false, "print this help")
	fs.BoolVar(help, "h", false, "print this help")
	if err := analyzerflags.Define(fs, all); err != nil {
		return nil, err
	}
	ta, err := splitTestArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if *help {
		return nil, flag.ErrHelp
	}
	if !slices.Contains(testFormats, opts.format) {
		return nil, fmt.Errorf("unknown -format %q (want one of %s)", opts.format, strings.Join(testFormats, ", "))
	}
	if p, ok := overlaidCoverage(ta.coverpkg); ok {
		return nil, fmt.Errorf("-coverpkg=%s covers a package the overlay changes (%s), which the go command cannot build (golang.org/issue/73802); name your own packages instead", p, strings.Join(overlaidPackages, ", "))
	}
	opts.args = ta
	opts.Analyzers = analyzerflags.Selected(fs, all, opts.staticcheck)
	if len(opts.Analyzers) == 0 {
		return nil, errors.New("every analyzer is disabled")
	}
	opts.Patterns = ta.packages
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"."} // like go test
	}
	// The static half sees the files the tests were built from: the same
	// build tags, but not lifeguard_trace, whose runtimecheck files need
	// the overlay's API to type-check.
	if len(ta.tags) > 0 {
		opts.BuildFlags = append(opts.BuildFlags, "-tags="+strings.Join(ta.tags, ","))
	}
	return opts, nil
}

// workDir returns the absolute directory that -C names, or the current one.
func (opts *testOptions) workDir() (string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	if opts.Dir == "" {
		return cwd, nil
	}
	dir := opts.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(cwd, dir)
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("-C: %v", err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("-C: %s is not a directory", opts.Dir)
	}
	return dir, nil
}

// readGoEnv asks the go command that will build the tests, from dir (where
// a go.mod may select another toolchain), for what the overlay depends on.
func readGoEnv(dir string) (goEnv, error) {
	cmd := exec.Command("go", "env", "-json", "GOROOT", "GOVERSION", "GOMODCACHE", "GOOS", "GOFLAGS")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return goEnv{}, fmt.Errorf("go env: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	var v struct{ GOROOT, GOVERSION, GOMODCACHE, GOOS, GOFLAGS string }
	if err := json.Unmarshal(out, &v); err != nil {
		return goEnv{}, fmt.Errorf("go env -json: %v", err)
	}
	return goEnv{goroot: v.GOROOT, version: v.GOVERSION, gomodcache: v.GOMODCACHE, goos: v.GOOS, goflags: v.GOFLAGS}, nil
}

// check rejects the settings under which the overlay cannot work.
func (env goEnv) check(ta *testArgs) error {
	if env.goos != "linux" {
		return fmt.Errorf("lifeguard test traces leaks on linux only (GOOS=%s); run runtimecheck's checks alone there", env.goos)
	}
	if env.gomodcache != "" && isUnder(env.goroot, env.gomodcache) {
		return fmt.Errorf("GOROOT %s (%s) is a toolchain the go command downloaded into the module cache, whose files the go command refuses to overlay; install %s outside GOMODCACHE (or set GOTOOLCHAIN=local to use the one installed)", env.goroot, env.version, env.version)
	}
	if _, ok := goFlagsSetting(env.goflags, "trimpath"); ok {
		return errors.New("GOFLAGS sets -trimpath, which removes the absolute file names that runtime leaks are matched to findings by")
	}
	return nil
}

// isUnder reports whether name is dir or inside it.
func isUnder(name, dir string) bool {
	rel, err := filepath.Rel(dir, name)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// prepareOverlay verifies the hook points of env's GOROOT, writes the
// overlay under tmp (merged with the user's -overlay, if any, or the one
// GOFLAGS gives) and returns its JSON file.
func prepareOverlay(env goEnv, ta *testArgs, dir, tmp string) (string, error) {
	files, err := overlayFiles(env)
	if err != nil {
		return "", err
	}
	userOverlay := ta.overlay
	if userOverlay == "" {
		userOverlay, _ = goFlagsSetting(env.goflags, "overlay")
	}
	var extra map[string]string
	if userOverlay != "" {
		if !filepath.IsAbs(userOverlay) {
			userOverlay = filepath.Join(dir, userOverlay)
		}
		data, err := os.ReadFile(userOverlay)
		if err != nil {
			return "", fmt.Errorf("-overlay: %v", err)
		}
		var o struct{ Replace map[string]string }
		if err := json.Unmarshal(data, &o); err != nil {
			return "", fmt.Errorf("-overlay %s: %v", userOverlay, err)
		}
		// The go command resolves relative names from the directory it
		// runs in, which is dir.
		extra = make(map[string]string, len(o.Replace))
		for from, to := range o.Replace {
			if !filepath.IsAbs(from) {
				from = filepath.Join(dir, from)
			}
			if to != "" && !filepath.IsAbs(to) {
				to = filepath.Join(dir, to)
			}
			extra[from] = to
		}
	}
	name, err := writeOverlay(filepath.Join(tmp, "overlay"), files, extra)
	if err != nil {
		return "", err
	}
	if err := checkOverlayBuilds(env, dir, name); err != nil {
		return "", err
	}
	return name, nil
}

// checkOverlayBuilds compiles the overlaid packages alone, so that a Go
// release whose hook points exist but whose internals moved fails here with
// a message naming the version, not in the middle of the tests' build. The
// go command caches the result, and go test uses it.
func checkOverlayBuilds(env goEnv, dir, overlay string) error {
	args := append([]string{"build", "-overlay=" + overlay}, overlaidPackages...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("the overlay does not compile with the installed Go (%s, from go env GOVERSION; GOROOT %s); lifeguard test supports %s, see docs/lifeguard-test.md:\n%s",
			env.version, env.goroot, testedGoVersions, bytes.TrimSpace(out))
	}
	return nil
}

// runGoTest runs go test on the overlay, with the trace tag and the trace
// output file set, streaming its output, and returns go test's exit status.
func runGoTest(dir string, env goEnv, ta *testArgs, overlay, traceOut string, auto bool, stdout, stderr io.Writer) (int, error) {
	tags := ta.tags
	if tags == nil {
		// A -tags on the command line replaces GOFLAGS' own; keep those.
		if v, ok := goFlagsSetting(env.goflags, "tags"); ok {
			tags = splitTags(v)
		}
	}
	if !slices.Contains(tags, traceBuildTag) {
		tags = append(slices.Clone(tags), traceBuildTag)
	}
	args := []string{"test", "-overlay=" + overlay, "-tags=" + strings.Join(tags, ",")}
	args = append(args, ta.goFlags...)
	args = append(args, ta.packages...)
	args = append(args, ta.binArgs...)

	if err := os.WriteFile(traceOut, nil, 0o644); err != nil {
		return 0, err
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), leakrecord.EnvVar+"="+traceOut)
	if !auto {
		cmd.Env = append(cmd.Env, autoEnv+"=off")
	} else {
		cmd.Env = append(cmd.Env, autoEnv+"=")
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if exitErr := (*exec.ExitError)(nil); errors.As(err, &exitErr) && exitErr.Exited() {
		return exitErr.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("go test: %v", err)
	}
	return 0, nil
}

func printTestUsage(w io.Writer) {
	fmt.Fprint(w, `lifeguard test runs the tests of the packages with leak tracing on, then
analyzes the same packages and shows which findings a test confirmed.

Usage:
  lifeguard test [lifeguard flags] [go test flags] [packages] [-args ...]

The standard library's os, os/exec, io, net and testing are built from an
overlay that records where each file descriptor, child process, io.Pipe and
os/exec goroutine was made, with the build tag lifeguard_trace. Every test
binary is checked, with no change to the tests: what each sequential test
left behind, and what is still there when the binary exits, is reported
with the test and the line that made it (and the descendants a killed child
orphaned: the test binary is a child subreaper). A test that calls
runtimecheck.Check, and a TestMain that calls runtimecheck.VerifyTestMain,
are checked by them instead, with their options. Each finding at such a
line is printed with "confirmed by TestX: ..."; leaks that no finding
explains are listed apart. See docs/lifeguard-test.md.

lifeguard flags (anywhere before -args):
  -C dir          run go test and load the packages in dir
  -json           same as -format=json
  -format format  text, json or sarif (the tests' own output then goes to stderr)
  -lgtest.noauto  check only the tests that call runtimecheck
  -baseline file  leave out the findings lifeguard -write-baseline recorded in
                  file, and the leaks that confirm them
  -staticcheck    also run the bundled staticcheck checks
  -NAME, -NAME=false, -NAME.FLAG=value   select and configure analyzers as lifeguard does

Every other flag goes to go test, except -c, -o, -n and -trimpath (rejected)
and -json (lifeguard's). -tags and -overlay are merged with lifeguard test's own.

Exit status: 0 tests passed and nothing found; 1 tests passed, findings or
leaks reported (text format only: a leak the automatic check found never
fails a test, it is reported here); 3 go test failed (a test, a
runtimecheck.Check or VerifyTestMain, or a build); 2 lifeguard test could
not run (usage, unsupported Go, packages that do not load).
`)
}
