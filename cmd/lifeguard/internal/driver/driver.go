// Package driver is lifeguard's standalone command: its command line, the
// run of the analyzers over the packages it loads (Analyze, with
// go/analysis/checker), and what it does with the findings: print them in
// the chosen format, record or apply a baseline, or apply their fixes.
package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/analyzerflags"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/baseline"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/buildinfo"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/fix"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/output"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/resultcache"
)

// Exit statuses of a standalone run; lifeguard test uses them too.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

// options is the parsed command line of a standalone run.
type options struct {
	Request            // what to analyze: -C, -test, -root, the analyzers, the patterns
	format      string // -format, or "json" from -json
	fix         bool   // -fix
	diff        bool   // -diff: show the fixes instead of writing them
	list        bool   // -list
	version     bool   // -version
	staticcheck bool   // -staticcheck
	noop        bool   // -noop
	cpuProfile  string
	memProfile  string
	trace       string

	maxAnnotations int // -max-annotations, for -format=github

	baselineFile  string         // -baseline
	baseline      *baseline.File // read from baselineFile
	writeBaseline string         // -write-baseline
}

// Run is the whole standalone command, with all the analyzers the binary
// offers; it returns the exit status.
func Run(args []string, all []*analysis.Analyzer, stdout, stderr io.Writer) (status int) {
	// The analyzers are guarded by the binary's guardPanics; this catches
	// the driver's own bugs, so that they too end as "lifeguard: ..." and
	// status 2.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "lifeguard: internal error: %v\n%s", r, debug.Stack())
			status = ExitError
		}
	}()

	if len(args) > 0 && args[0] == "help" {
		return printHelp(stdout, stderr, all, args[1:])
	}
	if len(args) > 0 && args[0] == "clean-cache" {
		return cleanCache(args[1:], stdout, stderr)
	}

	fs, opts, err := newFlagSet(all)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return ExitError
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
			return ExitClean
		}
		fmt.Fprintf(stderr, "lifeguard: %v\nRun 'lifeguard -help' for usage.\n", err)
		return ExitError
	}
	if opts.version {
		fmt.Fprintln(stdout, buildinfo.Version())
		return ExitClean
	}
	if err := opts.finish(fs, all); err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\nRun 'lifeguard -help' for usage.\n", err)
		return ExitError
	}

	if opts.list {
		printList(stdout, opts.Analyzers)
		return ExitClean
	}
	if opts.baselineFile != "" {
		// Read before the analysis, which takes far longer than this.
		if opts.baseline, err = baseline.Read(opts.baselineFile); err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			return ExitError
		}
	}

	stopProfiles, err := startProfiles(opts)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return ExitError
	}
	defer func() {
		if err := stopProfiles(); err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			status = ExitError
		}
	}()

	if f, ok := stderr.(*os.File); ok && isTerminal(f) && opts.format == "text" {
		opts.Progress = stderr
	}
	rep, err := Analyze(&opts.Request)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return ExitError
	}
	return reportResults(rep, opts, stdout, stderr)
}

// reportResults prints the report, or applies its fixes, and returns the
// exit status for it.
func reportResults(rep *findings.Report, opts *options, stdout, stderr io.Writer) int {
	for _, msg := range rep.Errors {
		fmt.Fprintf(stderr, "lifeguard: %s\n", msg)
	}
	status := ExitClean

	if opts.writeBaseline != "" {
		if len(rep.Errors) > 0 {
			fmt.Fprintf(stderr, "lifeguard: -write-baseline: not writing %s: %v\n", opts.writeBaseline, baseline.ErrIncomplete)
			return ExitError
		}
		if err := baseline.Write(opts.writeBaseline, rep); err != nil {
			fmt.Fprintf(stderr, "lifeguard: -write-baseline: %v\n", err)
			return ExitError
		}
		fmt.Fprintf(stderr, "lifeguard: wrote %s to %s\n", output.Plural(len(rep.Findings), "finding", "findings"), opts.writeBaseline)
		return ExitClean
	}
	if opts.baseline != nil {
		_, stale := baseline.Apply(rep, opts.baseline)
		baseline.ReportStale(stderr, opts.baselineFile, stale)
	}

	if opts.fix {
		var unfixed int
		var err error
		if opts.diff {
			// The patch alone goes to stdout, so that it can be piped to
			// "git apply"; what the fixes do not cover goes to stderr.
			unfixed, err = fix.Apply(rep, stdout, stderr, stderr)
		} else {
			unfixed, err = fix.Apply(rep, nil, stdout, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			return ExitError
		}
		if unfixed > 0 {
			status = ExitFindings
		}
	} else {
		format, _ := output.New(opts.format, output.Options{MaxAnnotations: opts.maxAnnotations})
		if err := format.Write(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "lifeguard: writing %s output: %v\n", opts.format, err)
			return ExitError
		}
		if len(rep.Findings) > 0 && format.FindingsAreFailure() {
			status = ExitFindings
		}
	}

	if len(rep.Errors) > 0 {
		status = ExitError
	}
	return status
}

// newFlagSet defines the standalone flags. Analyzer flags are forwarded as
// -NAME.FLAG and each analyzer gets an enable switch -NAME, like go vet.
func newFlagSet(all []*analysis.Analyzer) (*flag.FlagSet, *options, error) {
	opts := &options{Request: Request{Tests: true, Cache: true}, format: "text"}
	fs := flag.NewFlagSet("lifeguard", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed by Run

	fs.StringVar(&opts.Dir, "C", "", "load packages as if lifeguard were run in `dir` (file paths are still shown relative to the current directory)")
	fs.BoolVar(&opts.Tests, "test", opts.Tests, "analyze test files too")
	fs.BoolVar(&opts.Cache, "cache", opts.Cache, "use and fill lifeguard's result cache ($"+resultcache.EnvDir+", else lifeguard in the user cache directory; lifeguard clean-cache empties it); false: analyze every package and keep nothing")
	fs.StringVar(&opts.format, "format", opts.format, "output `format`: "+strings.Join(output.Names(), ", "))
	fs.Var(output.JSONFlag{Format: &opts.format}, "json", "same as -format=json: the go/analysis JSON tree, exit status 0 unless there are errors")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes to the files; print the findings that have none")
	fs.BoolVar(&opts.diff, "diff", false, "with -fix (implied): print the fixes as a unified diff instead of writing the files")
	fs.BoolVar(&opts.list, "list", false, "print the analyzers that would run, with their documentation URLs, and exit")
	fs.BoolVar(&opts.version, "version", false, "print lifeguard's version (a checkout's revision for a build from one) and the Go version that built it, and exit")
	fs.BoolVar(&opts.staticcheck, "staticcheck", false, analyzerflags.StaticcheckUsage)
	fs.BoolVar(&opts.noop, "noop", false, "for benchmarks: run one analyzer that does nothing, to time loading and type-checking alone")
	fs.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&opts.memProfile, "memprofile", "", "write a heap profile to `file` at exit")
	fs.StringVar(&opts.trace, "trace", "", "write an execution trace to `file`")
	fs.StringVar(&opts.Root, "root", "", "name files relative to `dir` in the github, sarif, checkstyle and gitlab formats and in baselines (default: the repository root, the nearest directory with .git above -C's, else the main module's root)")
	fs.StringVar(&opts.baselineFile, "baseline", "", "report only the findings not recorded in the baseline `file` that -write-baseline wrote; the exit status follows the findings reported")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record every finding in the baseline `file`, print nothing else and exit 0 (2 if packages have errors: the baseline would miss their findings)")
	fs.IntVar(&opts.maxAnnotations, "max-annotations", output.DefaultMaxAnnotations, "with -format=github: annotate at most `n` findings, as GitHub shows only 10 warning annotations per step (50 per job); the rest are printed as plain log lines, and all are in the step summary; 0: no limit")

	if err := analyzerflags.Define(fs, all); err != nil {
		return nil, nil, err
	}
	return fs, opts, nil
}

// finish validates the parsed flags and fills in what follows from them.
func (opts *options) finish(fs *flag.FlagSet, all []*analysis.Analyzer) error {
	if _, ok := output.New(opts.format, output.Options{}); !ok {
		return fmt.Errorf("unknown -format %q (want one of %s)", opts.format, strings.Join(output.Names(), ", "))
	}
	if opts.diff {
		opts.fix = true
	}
	if opts.fix && opts.format != "text" {
		return fmt.Errorf("-fix cannot be combined with -format=%s", opts.format)
	}
	if err := opts.baselineFlagsError(); err != nil {
		return err
	}
	if opts.maxAnnotations < 0 {
		return errors.New("-max-annotations must be 0 (no limit) or more")
	}
	if opts.Root != "" {
		if fi, err := os.Stat(opts.Root); err != nil {
			return fmt.Errorf("-root: %v", err)
		} else if !fi.IsDir() {
			return fmt.Errorf("-root: %s is not a directory", opts.Root)
		}
	}

	opts.Analyzers = analyzerflags.Selected(fs, all, opts.staticcheck)
	if opts.noop {
		opts.Analyzers = []*analysis.Analyzer{noopAnalyzer}
	}
	if len(opts.Analyzers) == 0 {
		return errors.New("every analyzer is disabled")
	}

	opts.Patterns = fs.Args()
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"."} // like go vet
	}
	return nil
}

// baselineFlagsError checks the combinations of the baseline flags.
func (opts *options) baselineFlagsError() error {
	switch {
	case opts.baselineFile != "" && opts.writeBaseline != "":
		return errors.New("-baseline and -write-baseline cannot be combined: -write-baseline records every finding")
	case opts.writeBaseline != "" && opts.fix:
		return errors.New("-write-baseline cannot be combined with -fix")
	}
	return nil
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `lifeguard finds lifecycle bugs in Go code: child processes never reaped,
pipes never drained or closed, and more (see "lifeguard -list").

Usage:
  lifeguard [flags] [packages]        analyze packages (default ".")
  lifeguard help [analyzer]           describe the analyzers
  lifeguard -version                  print lifeguard's version and the Go that built it
  lifeguard clean-cache               remove lifeguard's result cache
  lifeguard test [flags] [go test flags] [packages]
                                      run the tests with leak tracing and show
                                      which findings they confirm (lifeguard test -help)
  lifeguard vet [go vet flags] [packages]
                                      the same analysis through go vet, whose cache
                                      skips unchanged packages; printed as here
  go vet -vettool=$(command -v lifeguard) [-NAME=false] [packages]

Exit status: 0 no findings, 1 findings, 2 errors (the formats json, sarif,
gitlab and checkstyle: 0 unless errors).

By default every analyzer runs but the staticcheck checks (-staticcheck).
-NAME=false disables one; -NAME (true) runs only the analyzers named that
way. Analyzer flags are -NAME.FLAG.
-V=full, -flags and *.cfg arguments belong to the go vet protocol.

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// cleanCache is lifeguard clean-cache: it removes the result cache.
func cleanCache(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "lifeguard clean-cache: takes no arguments\n")
		return ExitError
	}
	dir, err := resultcache.Dir()
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard clean-cache: %v\n", err)
		return ExitError
	}
	if err := resultcache.Clean(dir); err != nil {
		fmt.Fprintf(stderr, "lifeguard clean-cache: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "lifeguard: removed %s\n", dir)
	return ExitClean
}
