package driver

import (
	"errors"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// A Request says what to analyze, and how.
type Request struct {
	Dir        string   // -C: load packages as if run from this directory; "": the current one
	Patterns   []string // the packages
	BuildFlags []string // for the go command that lists packages: -tags, from lifeguard test
	Tests      bool     // -test: analyze the test files too
	Analyzers  []*analysis.Analyzer
	Root       string // -root: what CI formats name files relative to; "": the repository root
}

// Analyze loads the packages that req names, runs its analyzers on them
// and returns what they found. Errors in the packages or in the analyzers
// are part of the report; the error result is only for failures that
// leave nothing to report (go list failing, no packages).
func Analyze(req *Request) (*findings.Report, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	dir := cwd
	if req.Dir != "" {
		dir = req.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("-C: %v", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("-C: %s is not a directory", req.Dir)
		}
	}

	pkgs, err := loadPackages(dir, req.Patterns, req.BuildFlags, req.Tests, needsFacts(req.Analyzers))
	if err != nil {
		return nil, err
	}

	roots := make(map[*types.Package]bool, len(pkgs))
	for _, pkg := range pkgs {
		roots[pkg.Types] = true
	}
	suite.Configure(suite.Config{
		// Let the shared SSA be freed as soon as the analyzers that run
		// are done with it; the checker itself keeps every result to
		// the end.
		Running: req.Analyzers,
		// Dependencies are analyzed only for the facts the roots need.
		IsRoot: func(p *types.Package) bool { return roots[p] },
		// This driver applies no //nolint of its own, and every format
		// has a place for related information.
		DriverAppliesNolint: false,
		OmitRelated:         false,
	})
	restoreLimit := limitHeapToLoad()
	graph, err := checker.Analyze(req.Analyzers, pkgs, nil)
	restoreLimit()
	if err != nil {
		return nil, err // the analyzers are invalid: a bug in lifeguard
	}
	root, err := repoRoot(req.Root, dir, pkgs)
	if err != nil {
		return nil, err
	}
	return findings.New(graph, pkgs, req.Analyzers, positions.NewDisplay(cwd), positions.NewDisplay(root)), nil
}

// limitHeapToLoad keeps the analysis within a tenth above the memory that
// loading the packages took, and returns the function that lifts the
// limit again.
//
// Loading leaves the heap full of what the analysis reads (syntax, types)
// and the garbage collector's goal at twice that; the analysis keeps little
// of what it allocates (SSA forms, control-flow graphs, released package by
// package), but with that goal no collection comes before the run ends,
// and its garbage alone took the peak 1.3 GiB above loading's on std
// cmd/.... A soft limit makes the collector run when the analysis' garbage
// reaches it instead. Each collection marks the whole loaded program
// (3-4 s of CPU on std cmd/...): at exactly what loading mapped, the
// analysis took twice its CPU time; a tenth more costs one collection or
// two. The limit also leaves room for half again the live heap, so that a
// run whose analysis does keep more than loading did is not made to
// collect without end; a lower GOMEMLIMIT of the user's stays.
func limitHeapToLoad() (restore func()) {
	const minLimit = 256 << 20 // small runs: nothing to win
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(samples)
	mapped, live := samples[0].Value, samples[1].Value
	if mapped.Kind() != metrics.KindUint64 || live.Kind() != metrics.KindUint64 {
		return func() {}
	}
	limit := int64(max(mapped.Uint64()+mapped.Uint64()/10, live.Uint64()*3/2, minLimit))
	prev := debug.SetMemoryLimit(-1)
	if limit >= prev {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// loadPackages loads the packages matching patterns, from dir, with the
// go command's buildFlags (-tags). With
// allSyntax, dependencies are parsed and type-checked from source too, as
// the checker needs to run fact-producing analyzers on them; without, their
// types come from export data.
func loadPackages(dir string, patterns, buildFlags []string, tests, allSyntax bool) ([]*packages.Package, error) {
	mode := packages.LoadSyntax
	if allSyntax {
		mode = packages.LoadAllSyntax
	}
	cfg := &packages.Config{
		Mode:       mode | packages.NeedModule,
		Dir:        dir,
		Tests:      tests,
		BuildFlags: buildFlags,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, cleanGoListError(err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return slices.DeleteFunc(pkgs, isTestMain), nil
}

// cleanGoListError strips the wrapping that go/packages puts around the go
// command's own message ("err: exit status 1: stderr: go: ...").
func cleanGoListError(err error) error {
	if m := goListFailure.FindStringSubmatch(err.Error()); m != nil {
		return errors.New(strings.TrimSpace(m[1]))
	}
	return err
}

var goListFailure = regexp.MustCompile(`(?s)^err: exit status \d+: stderr: (.*)$`)

// isTestMain reports whether pkg is the main package that the go command
// synthesizes to run a package's tests ("p.test"). Its one file lives in the
// build cache, where no finding could be acted on, and analyzing it would
// pull in the test runner's own dependencies.
func isTestMain(pkg *packages.Package) bool {
	if pkg.Name != "main" || !strings.HasSuffix(pkg.ID, ".test") {
		return false
	}
	for _, imp := range pkg.Imports {
		if strings.HasSuffix(imp.ID, " ["+pkg.ID+"]") {
			return true // it imports the package under test, as built for it
		}
	}
	return false
}

// needsFacts reports whether any of the analyzers, or any they require,
// uses facts, so that the checker must analyze dependencies from source.
func needsFacts(analyzers []*analysis.Analyzer) bool {
	seen := make(map[*analysis.Analyzer]bool)
	var uses func([]*analysis.Analyzer) bool
	uses = func(as []*analysis.Analyzer) bool {
		for _, a := range as {
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(a.FactTypes) > 0 || uses(a.Requires) {
				return true
			}
		}
		return false
	}
	return uses(analyzers)
}
