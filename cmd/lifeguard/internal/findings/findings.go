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
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// A Report is the outcome of one run, in the form every output format
// starts from.
type Report struct {
	// Packages are the packages analyzed, dependencies before their
	// importers, with their errors and, for the roots, the diagnostics
	// of every analyzer: the go/analysis JSON prints them as they are.
	Packages  []*Package
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
	// Decl names the top-level declaration the finding is in, as
	// baselines record it; "" when it is in none.
	Decl string

	Fixes   []Fix    // its suggested fixes
	Package *Package // that reported it
}

// A Location is a range of a file and what the finding says of it: a
// position its message names, or a step of its path.
type Location struct {
	Posn, End token.Position
	Message   string
}

// New returns the report of a run of the analyzers whose outcome is pkgs,
// dependencies before their importers; paths shows file names relative to
// the current directory, root relative to the repository root.
func New(pkgs []*Package, analyzers []*analysis.Analyzer, paths, root positions.Display) *Report {
	rep := &Report{
		Packages:  pkgs,
		Analyzers: analyzers,
		Paths:     paths,
		Root:      root,
	}
	rep.Errors = append(packageErrors(pkgs, paths), analyzerErrors(pkgs)...)
	rep.Files = make(map[string]bool)
	for _, pkg := range pkgs {
		for _, name := range pkg.Files {
			rep.Files[name] = true
		}
	}
	rep.Findings = rootFindings(pkgs, byName(analyzers))
	return rep
}

// byName maps the names of the analyzers and of those they require to
// them.
func byName(analyzers []*analysis.Analyzer) map[string]*analysis.Analyzer {
	m := make(map[string]*analysis.Analyzer)
	var add func([]*analysis.Analyzer)
	add = func(as []*analysis.Analyzer) {
		for _, a := range as {
			if m[a.Name] == nil {
				m[a.Name] = a
				add(a.Requires)
			}
		}
	}
	add(analyzers)
	return m
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

// DropDiagnostics removes from the packages' actions the diagnostics for
// which drop is true, so that the go/analysis JSON leaves them out too.
func (rep *Report) DropDiagnostics(drop func(analyzer string, d *Diagnostic) bool) {
	for _, pkg := range rep.Packages {
		for _, act := range pkg.Actions {
			act.Diagnostics = slices.DeleteFunc(slices.Clone(act.Diagnostics), func(d *Diagnostic) bool {
				return drop(act.Analyzer, d)
			})
		}
	}
}

// rootFindings collects the diagnostics of the root packages, sorted by
// position and de-duplicated: with tests on, a package and its test variant
// share files, and every diagnostic in those files is reported twice.
// Actions that failed are left out; their error is in Report.Errors.
func rootFindings(pkgs []*Package, analyzers map[string]*analysis.Analyzer) []*Finding {
	type key struct {
		file     string
		offset   int
		analyzer string
		message  string
	}
	seen := make(map[key]bool)
	var list []*Finding
	for _, pkg := range pkgs {
		if !pkg.Root {
			continue
		}
		for _, act := range pkg.Actions {
			a := analyzers[act.Analyzer]
			if act.Err != "" || a == nil {
				continue
			}
			for _, d := range act.Diagnostics {
				k := key{d.Posn.Filename, d.Posn.Offset, act.Analyzer, d.Message}
				if seen[k] {
					continue
				}
				seen[k] = true
				list = append(list, &Finding{
					Analyzer:    a,
					Posn:        d.Posn,
					End:         d.End,
					Message:     d.Message,
					Category:    d.Category,
					URL:         d.URL,
					Related:     d.Related,
					Path:        d.Path,
					Fingerprint: d.Fingerprint,
					Decl:        d.Decl,
					Fixes:       d.Fixes,
					Package:     pkg,
				})
			}
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

// packageErrors lists the load, parse and type errors of the packages,
// dependencies first, each once (a package and its test variant share
// files, and so errors).
func packageErrors(pkgs []*Package, paths positions.Display) []string {
	var list []string
	seen := make(map[string]bool)
	add := func(msg string) {
		if !seen[msg] {
			seen[msg] = true
			list = append(list, msg)
		}
	}
	for _, pkg := range pkgs {
		for _, e := range pkg.Errors {
			if isCompilerEcho(e, pkg.Errors) {
				continue
			}
			if e.Pos == "" || e.Pos == "-" {
				add(e.Msg)
			} else {
				add(paths.Position(e.Pos) + ": " + e.Msg)
			}
		}
		if pkg.ModuleError != "" {
			add(pkg.ModuleError)
		}
	}
	return list
}

// isCompilerEcho reports whether e is the compiler's output ("# pkg" and its
// errors) that go list passes on when it fails to build export data for a
// package that the type checker already reports errors for, with positions.
func isCompilerEcho(e packages.Error, errs []packages.Error) bool {
	if e.Kind != packages.ListError || !strings.HasPrefix(e.Msg, "# ") {
		return false
	}
	for _, other := range errs {
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
func analyzerErrors(pkgs []*Package) []string {
	var list []string
	for _, pkg := range pkgs {
		for _, act := range pkg.Actions {
			if act.Err == "" || act.DepFailed || act.Skipped {
				continue
			}
			list = append(list, fmt.Sprintf("analyzer %s failed on %s: %s", act.Analyzer, pkg.ID, act.Err))
		}
	}
	return list
}
