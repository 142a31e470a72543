package main

import (
	"github.com/lifeguard-go/lifeguard/analyzers/suite"

	"errors"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// analyze loads the packages named by opts.patterns, runs the selected
// analyzers on them and returns what they found. Errors in the packages or
// in the analyzers are part of the report; the error result is only for
// failures that leave nothing to report (go list failing, no packages).
func analyze(opts *options) (*report, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	dir := cwd
	if opts.dir != "" {
		dir = opts.dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("-C: %v", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("-C: %s is not a directory", opts.dir)
		}
	}

	pkgs, err := loadPackages(dir, opts.patterns, opts.buildFlags, opts.tests, needsFacts(opts.analyzers))
	if err != nil {
		return nil, err
	}

	// Let the shared SSA be freed as soon as the analyzers that run are
	// done with it; the checker itself keeps every result to the end.
	roots := make(map[*types.Package]bool, len(pkgs))
	for _, pkg := range pkgs {
		roots[pkg.Types] = true
	}
	suite.Configure(suite.Config{Running: opts.analyzers, IsRoot: func(p *types.Package) bool { return roots[p] }})
	graph, err := checker.Analyze(opts.analyzers, pkgs, nil)
	if err != nil {
		return nil, err // the analyzers are invalid: a bug in lifeguard
	}
	root, err := repoRoot(opts.root, dir, pkgs)
	if err != nil {
		return nil, err
	}
	return newReport(graph, pkgs, opts.analyzers, newPathDisplay(cwd), newPathDisplay(root)), nil
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

// packageErrors lists the load, parse and type errors of the packages and
// everything they import, dependencies first, each once (a package and its
// test variant share files, and so errors).
func packageErrors(pkgs []*packages.Package, paths pathDisplay) []string {
	var list []string
	seen := make(map[string]bool)
	add := func(msg string) {
		if !seen[msg] {
			seen[msg] = true
			list = append(list, msg)
		}
	}
	for pkg := range packages.Postorder(pkgs) {
		for _, e := range pkg.Errors {
			if isCompilerEcho(e, pkg) {
				continue
			}
			if e.Pos == "" || e.Pos == "-" {
				add(e.Msg)
			} else {
				add(paths.position(e.Pos) + ": " + e.Msg)
			}
		}
		if mod := pkg.Module; mod != nil && mod.Error != nil {
			add(mod.Error.Err)
		}
	}
	return list
}

// isCompilerEcho reports whether e is the compiler's output ("# pkg" and its
// errors) that go list passes on when it fails to build export data for a
// package that the type checker already reports errors for, with positions.
func isCompilerEcho(e packages.Error, pkg *packages.Package) bool {
	if e.Kind != packages.ListError || !strings.HasPrefix(e.Msg, "# ") {
		return false
	}
	for _, other := range pkg.Errors {
		if other.Kind == packages.TypeError || other.Kind == packages.ParseError {
			return true
		}
	}
	return false
}

// analyzerErrors lists the errors of the actions that failed by themselves.
// An action whose prerequisite failed only says "failed prerequisites", and
// one skipped because its package does not type-check repeats an error that
// packageErrors already lists; both would bury the cause.
func analyzerErrors(graph *checker.Graph) []string {
	var list []string
	for act := range graph.All() {
		if act.Err == nil || depFailed(act) {
			continue
		}
		if act.Package.IllTyped && !act.Analyzer.RunDespiteErrors {
			continue
		}
		list = append(list, fmt.Sprintf("analyzer %s failed on %s: %v", act.Analyzer.Name, act.Package.ID, act.Err))
	}
	return list
}

func depFailed(act *checker.Action) bool {
	for _, dep := range act.Deps {
		if dep.Err != nil {
			return true
		}
	}
	return false
}

// pathDisplay shows file names relative to the current directory when they
// are under it, and absolute otherwise.
type pathDisplay struct {
	// dirs holds the current directory, and its symlink-free form when
	// that differs: the go command may report either.
	dirs []string
}

func newPathDisplay(cwd string) pathDisplay {
	p := pathDisplay{dirs: []string{cwd}}
	if real, err := filepath.EvalSymlinks(cwd); err == nil && real != cwd {
		p.dirs = append(p.dirs, real)
	}
	return p
}

// file returns the name to show for filename.
func (p pathDisplay) file(filename string) string {
	if !filepath.IsAbs(filename) {
		return filename
	}
	for _, dir := range p.dirs {
		rel, err := filepath.Rel(dir, filename)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return filename
}

// position rewrites the file name in a "file:line:col" position string.
func (p pathDisplay) position(pos string) string {
	file, rest := splitPosition(pos)
	return p.file(file) + rest
}

// splitPosition splits "file:line:col" (or "file:line", or "file") into the
// file name and the ":line:col" suffix. File names may contain colons.
func splitPosition(pos string) (file, lineCol string) {
	file = pos
	for range 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 || !isDigits(file[i+1:]) {
			break
		}
		file = file[:i]
	}
	return file, pos[len(file):]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
