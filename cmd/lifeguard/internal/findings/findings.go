// Package findings is the model every output of lifeguard starts from: the
// findings of one run (the diagnostics of the root packages, each once, in
// position order) and its errors, with the directories file names are
// shown relative to. The output formats, baselines, -fix and lifeguard
// test read it.
package findings

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// A Report is the outcome of one run, in the form every output format
// starts from.
type Report struct {
	Graph     *checker.Graph       // the raw results, for the go/analysis JSON
	Analyzers []*analysis.Analyzer // the analyzers that ran
	Findings  []*Finding           // root diagnostics: sorted, each once
	Errors    []string             // package and analyzer errors, for stderr
	Paths     positions.Display    // shows file names relative to the current directory

	// Files are the Go files of the root packages, absolute: what the
	// run looked at, so that a baseline entry of another file is not
	// taken for one that matches nothing.
	Files map[string]bool

	// Root is the repository root, which the file names of the CI
	// formats and of baselines are relative to.
	Root positions.Display
}

// A Finding is one diagnostic of a root package.
type Finding struct {
	Analyzer  *analysis.Analyzer
	Posn, End token.Position // file names are absolute
	Message   string
	Category  string
	URL       string // resolved documentation URL, may be ""
	Related   []Location

	// Path lists the steps of the path the finding is about, first to
	// last, from the Detail its analyzer gave (suite.DetailOf); nil when
	// it is about no path, or its analyzer is not one of lifeguard's.
	Path []Location
	// Fingerprint is the message with the positions it names reduced to
	// their file names, which moves with the code, from the same Detail;
	// "" when there is none.
	Fingerprint string

	Diag   analysis.Diagnostic // for its suggested fixes
	Action *checker.Action     // that reported it: its package's files and FileSet
}

// A Location is a range of a file and what the finding says of it: a
// position its message names, or a step of its path.
type Location struct {
	Posn, End token.Position
	Message   string
}

// New returns the report of a run of the analyzers on pkgs, whose results
// are graph; paths shows file names relative to the current directory,
// root relative to the repository root.
func New(graph *checker.Graph, pkgs []*packages.Package, analyzers []*analysis.Analyzer, paths, root positions.Display) *Report {
	rep := &Report{
		Graph:     graph,
		Analyzers: analyzers,
		Paths:     paths,
		Root:      root,
	}
	rep.Errors = append(packageErrors(pkgs, paths), analyzerErrors(graph)...)
	rep.Files = make(map[string]bool)
	for _, pkg := range pkgs {
		for _, name := range slices.Concat(pkg.GoFiles, pkg.CompiledGoFiles) {
			rep.Files[name] = true
		}
	}
	rep.Findings = rootFindings(graph, suite.DetailOf)
	return rep
}

// RepoFile returns the name the CI formats show for a file: relative to the
// repository root, slash-separated; or, for a file outside it, its
// absolute name.
func (rep *Report) RepoFile(filename string) string {
	rel, _ := rep.Root.Rel(filename)
	return rel
}

// RepoPosition formats posn as file:line:col with the file relative to the
// repository root, as RepoFile names it.
func (rep *Report) RepoPosition(posn token.Position) string {
	posn.Filename = rep.RepoFile(posn.Filename)
	return posn.String()
}

// rootFindings collects the diagnostics of the root actions, sorted by
// position and de-duplicated: with tests on, a package and its test variant
// share files, and every diagnostic in those files is reported twice.
// Actions that failed are left out; their error is in Report.Errors.
// detailOf gives what an analyzer's result says of its diagnostic beyond
// it (suite.DetailOf).
func rootFindings(graph *checker.Graph, detailOf func(result any, d analysis.Diagnostic) (suite.Detail, bool)) []*Finding {
	type key struct {
		file     string
		offset   int
		analyzer *analysis.Analyzer
		message  string
	}
	seen := make(map[key]bool)
	var list []*Finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := &Finding{
				Analyzer: act.Analyzer,
				Posn:     fset.Position(d.Pos),
				End:      fset.Position(cmp.Or(d.End, d.Pos)),
				Message:  d.Message,
				Category: d.Category,
				URL:      d.URL,
				Diag:     d,
				Action:   act,
			}
			k := key{f.Posn.Filename, f.Posn.Offset, f.Analyzer, f.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, r := range d.Related {
				f.Related = append(f.Related, location(fset, r.Pos, r.End, r.Message))
			}
			if det, ok := detailOf(act.Result, d); ok {
				for _, step := range det.Path {
					f.Path = append(f.Path, location(fset, step.Pos, step.End, step.Message))
				}
				f.Fingerprint = det.Fingerprint
			}
			list = append(list, f)
		}
	}
	slices.SortFunc(list, compareFindings)
	return list
}

// location is the Location of the range pos-end (end may be NoPos) and its
// message.
func location(fset *token.FileSet, pos, end token.Pos, msg string) Location {
	return Location{Posn: fset.Position(pos), End: fset.Position(cmp.Or(end, pos)), Message: msg}
}

func compareFindings(x, y *Finding) int {
	return cmp.Or(
		cmp.Compare(x.Posn.Filename, y.Posn.Filename),
		cmp.Compare(x.Posn.Line, y.Posn.Line),
		cmp.Compare(x.Posn.Column, y.Posn.Column),
		cmp.Compare(x.Analyzer.Name, y.Analyzer.Name),
		cmp.Compare(x.Message, y.Message),
	)
}

// packageErrors lists the load, parse and type errors of the packages and
// everything they import, dependencies first, each once (a package and its
// test variant share files, and so errors).
func packageErrors(pkgs []*packages.Package, paths positions.Display) []string {
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
				add(paths.Position(e.Pos) + ": " + e.Msg)
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
