// Command lifeguard reports lifecycle bugs in Go code: child processes that
// are never reaped, pipes that are never drained or closed, and the other
// mistakes described in docs/.
//
// It runs standalone, loading packages itself:
//
//	lifeguard [flags] [packages]
//
// or as a vet tool, driven by the go command:
//
//	go vet -vettool=$(command -v lifeguard) [packages]
//
// Standalone, it exits 0 when the packages are clean, 1 when there are
// findings and 2 on errors (bad flags, packages that do not load or
// type-check, analyzer failures). Run "lifeguard -help" for the flags.
//
// "lifeguard test" runs the packages' tests with leak tracing on and shows
// which findings the leaks of a test confirm (docs/lifeguard-test.md):
//
//	lifeguard test [flags] [go test flags] [packages]
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/types"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// Exit statuses of a standalone run.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	analyzers := allAnalyzers()
	guardPanics(analyzers)

	if isVetToolInvocation(os.Args[1:]) {
		// unitchecker parses os.Args itself (including -NAME and
		// -NAME.flag) and exits.
		cfg := suite.Config{}
		if vetxOnly(os.Args[1:]) {
			// The go command wants only this dependency's facts.
			cfg.IsRoot = func(*types.Package) bool { return false }
		}
		suite.Configure(cfg)
		// The go command learns of -staticcheck from -flags, which
		// lists the flags of the command line's FlagSet.
		flag.Bool("staticcheck", false, staticcheckUsage)
		os.Args = append(os.Args[:1], vetArgs(os.Args[1:], analyzers)...)
		unitchecker.Main(analyzers...)
	}
	if len(os.Args) > 1 && os.Args[1] == "test" {
		os.Exit(runTest(os.Args[2:], analyzers, os.Stdout, os.Stderr))
	}
	os.Exit(runStandalone(os.Args[1:], analyzers, os.Stdout, os.Stderr))
}

// allAnalyzers is what the binary offers: lifeguard's analyzers, the go vet
// analyzers it bundles, and the staticcheck checks that run only when asked
// for (optIn).
func allAnalyzers() []*analysis.Analyzer {
	for _, a := range suite.Staticcheck() {
		optIn[a] = true
	}
	return slices.Concat(suite.Analyzers(), suite.Bundled(), suite.Staticcheck())
}

// optIn holds the analyzers that run only with -staticcheck or their own
// -NAME switch.
var optIn = map[*analysis.Analyzer]bool{}

const staticcheckUsage = "also run the bundled staticcheck checks (SA1012, SA1029, SA2000, SA2002, SA1015); they build staticcheck's own IR of every package, which costs time and memory"

// options is the parsed command line of a standalone run.
type options struct {
	dir         string // -C: load packages as if run from this directory
	tests       bool   // -test
	format      string // -format, or "json" from -json
	fix         bool   // -fix
	diff        bool   // -diff: show the fixes instead of writing them
	list        bool   // -list
	staticcheck bool   // -staticcheck
	noop        bool   // -noop
	cpuProfile  string
	memProfile  string
	trace       string

	root           string // -root: what CI formats name files relative to
	maxAnnotations int    // -max-annotations, for -format=github

	baselineFile  string    // -baseline
	baseline      *baseline // read from baselineFile
	writeBaseline string    // -write-baseline

	analyzers  []*analysis.Analyzer // selected by the -NAME flags
	patterns   []string
	buildFlags []string // for the go command that lists packages: -tags, from lifeguard test
}

// runStandalone is the whole standalone command; it returns the exit status.
func runStandalone(args []string, all []*analysis.Analyzer, stdout, stderr io.Writer) (status int) {
	// The analyzers are guarded by guardPanics; this catches the driver's
	// own bugs, so that they too end as "lifeguard: ..." and status 2.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "lifeguard: internal error: %v\n%s", r, debug.Stack())
			status = exitError
		}
	}()

	if len(args) > 0 && args[0] == "help" {
		return printHelp(stdout, stderr, all, args[1:])
	}

	fs, opts, err := newFlagSet(all)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return exitError
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
			return exitClean
		}
		fmt.Fprintf(stderr, "lifeguard: %v\nRun 'lifeguard -help' for usage.\n", err)
		return exitError
	}
	if err := opts.finish(fs, all); err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\nRun 'lifeguard -help' for usage.\n", err)
		return exitError
	}

	if opts.list {
		printList(stdout, opts.analyzers)
		return exitClean
	}
	if opts.baselineFile != "" {
		// Read before the analysis, which takes far longer than this.
		if opts.baseline, err = readBaseline(opts.baselineFile); err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			return exitError
		}
	}

	stopProfiles, err := startProfiles(opts)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return exitError
	}
	defer func() {
		if err := stopProfiles(); err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			status = exitError
		}
	}()

	rep, err := analyze(opts)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard: %v\n", err)
		return exitError
	}
	return reportResults(rep, opts, stdout, stderr)
}

// reportResults prints the report, or applies its fixes, and returns the
// exit status for it.
func reportResults(rep *report, opts *options, stdout, stderr io.Writer) int {
	for _, msg := range rep.errors {
		fmt.Fprintf(stderr, "lifeguard: %s\n", msg)
	}
	rep.maxAnnotations = opts.maxAnnotations
	status := exitClean

	if opts.writeBaseline != "" {
		if len(rep.errors) > 0 {
			fmt.Fprintf(stderr, "lifeguard: -write-baseline: not writing %s: %v\n", opts.writeBaseline, errBaselineIncomplete)
			return exitError
		}
		if err := writeBaseline(opts.writeBaseline, rep); err != nil {
			fmt.Fprintf(stderr, "lifeguard: -write-baseline: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "lifeguard: wrote %s to %s\n", plural(len(rep.findings), "finding", "findings"), opts.writeBaseline)
		return exitClean
	}
	if opts.baseline != nil {
		rep.applyBaseline(opts.baseline)
	}

	if opts.fix {
		var unfixed int
		var err error
		if opts.diff {
			// The patch alone goes to stdout, so that it can be piped to
			// "git apply"; what the fixes do not cover goes to stderr.
			unfixed, err = fixAndPrint(rep, stdout, stderr, stderr)
		} else {
			unfixed, err = fixAndPrint(rep, nil, stdout, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			return exitError
		}
		if unfixed > 0 {
			status = exitFindings
		}
	} else {
		format := formats[opts.format]
		if err := format.write(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "lifeguard: writing %s output: %v\n", opts.format, err)
			return exitError
		}
		if len(rep.findings) > 0 && format.findingsAreFailure() {
			status = exitFindings
		}
	}

	if len(rep.errors) > 0 {
		status = exitError
	}
	return status
}

// newFlagSet defines the standalone flags. Analyzer flags are forwarded as
// -NAME.FLAG and each analyzer gets an enable switch -NAME, like go vet.
func newFlagSet(all []*analysis.Analyzer) (*flag.FlagSet, *options, error) {
	opts := &options{tests: true, format: "text"}
	fs := flag.NewFlagSet("lifeguard", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed by runStandalone

	fs.StringVar(&opts.dir, "C", "", "load packages as if lifeguard were run in `dir` (file paths are still shown relative to the current directory)")
	fs.BoolVar(&opts.tests, "test", opts.tests, "analyze test files too")
	fs.StringVar(&opts.format, "format", opts.format, "output `format`: "+strings.Join(formatNames(), ", "))
	fs.Var(jsonSwitch{&opts.format}, "json", "same as -format=json: the go/analysis JSON tree, exit status 0 unless there are errors")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes to the files; print the findings that have none")
	fs.BoolVar(&opts.diff, "diff", false, "with -fix (implied): print the fixes as a unified diff instead of writing the files")
	fs.BoolVar(&opts.list, "list", false, "print the analyzers that would run, with their documentation URLs, and exit")
	fs.BoolVar(&opts.staticcheck, "staticcheck", false, staticcheckUsage)
	fs.BoolVar(&opts.noop, "noop", false, "for benchmarks: run one analyzer that does nothing, to time loading and type-checking alone")
	fs.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&opts.memProfile, "memprofile", "", "write a heap profile to `file` at exit")
	fs.StringVar(&opts.trace, "trace", "", "write an execution trace to `file`")
	fs.StringVar(&opts.root, "root", "", "name files relative to `dir` in the github, sarif, checkstyle and gitlab formats and in baselines (default: the repository root, the nearest directory with .git above -C's, else the main module's root)")
	fs.StringVar(&opts.baselineFile, "baseline", "", "report only the findings not recorded in the baseline `file` that -write-baseline wrote; the exit status follows the findings reported")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record every finding in the baseline `file`, print nothing else and exit 0 (2 if packages have errors: the baseline would miss their findings)")
	fs.IntVar(&opts.maxAnnotations, "max-annotations", defaultMaxAnnotations, "with -format=github: annotate at most `n` findings, as GitHub shows only 10 warning annotations per step (50 per job); the rest are printed as plain log lines, and all are in the step summary; 0: no limit")

	if err := defineAnalyzerFlags(fs, all); err != nil {
		return nil, nil, err
	}
	return fs, opts, nil
}

// finish validates the parsed flags and fills in what follows from them.
func (opts *options) finish(fs *flag.FlagSet, all []*analysis.Analyzer) error {
	if _, ok := formats[opts.format]; !ok {
		return fmt.Errorf("unknown -format %q (want one of %s)", opts.format, strings.Join(formatNames(), ", "))
	}
	if opts.diff {
		opts.fix = true
	}
	if opts.fix && opts.format != "text" {
		return fmt.Errorf("-fix cannot be combined with -format=%s", opts.format)
	}
	if err := baselineFlagsError(opts); err != nil {
		return err
	}
	if opts.maxAnnotations < 0 {
		return errors.New("-max-annotations must be 0 (no limit) or more")
	}
	if opts.root != "" {
		if fi, err := os.Stat(opts.root); err != nil {
			return fmt.Errorf("-root: %v", err)
		} else if !fi.IsDir() {
			return fmt.Errorf("-root: %s is not a directory", opts.root)
		}
	}

	opts.analyzers = selectAnalyzers(fs, all, opts.staticcheck)
	if opts.noop {
		opts.analyzers = []*analysis.Analyzer{noopAnalyzer}
	}
	if len(opts.analyzers) == 0 {
		return errors.New("every analyzer is disabled")
	}

	opts.patterns = fs.Args()
	if len(opts.patterns) == 0 {
		opts.patterns = []string{"."} // like go vet
	}
	return nil
}

// jsonSwitch is the -json flag: a boolean spelling of -format=json. The
// last of -json and -format on the command line wins.
type jsonSwitch struct{ format *string }

func (j jsonSwitch) IsBoolFlag() bool { return true }

func (j jsonSwitch) String() string {
	if j.format != nil && *j.format == "json" {
		return "true"
	}
	return "false"
}

func (j jsonSwitch) Set(s string) error {
	switch s {
	case "true", "1", "t", "T", "TRUE", "True":
		*j.format = "json"
	case "false", "0", "f", "F", "FALSE", "False":
		if *j.format == "json" {
			*j.format = "text"
		}
	default:
		return errors.New("want true or false")
	}
	return nil
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `lifeguard finds lifecycle bugs in Go code: child processes never reaped,
pipes never drained or closed, and more (see "lifeguard -list").

Usage:
  lifeguard [flags] [packages]        analyze packages (default ".")
  lifeguard help [analyzer]           describe the analyzers
  lifeguard test [flags] [go test flags] [packages]
                                      run the tests with leak tracing and show
                                      which findings they confirm (lifeguard test -help)
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
