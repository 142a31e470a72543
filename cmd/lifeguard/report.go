package main

import (
	"cmp"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A report is the outcome of one standalone run, in the form every output
// format starts from.
type report struct {
	graph     *checker.Graph       // the raw results, for the go/analysis JSON
	analyzers []*analysis.Analyzer // the analyzers that ran
	findings  []*finding           // root diagnostics: sorted, each once
	errors    []string             // package and analyzer errors, for stderr
	paths     pathDisplay          // shows file names relative to the current directory

	// root is the repository root (reporoot.go), which the file names of the
	// CI formats are relative to.
	root pathDisplay

	maxAnnotations int // -max-annotations, for the github format
}

// A finding is one diagnostic of a root package.
type finding struct {
	analyzer  *analysis.Analyzer
	posn, end token.Position // file names are absolute
	message   string
	category  string
	url       string // resolved documentation URL, may be ""
	related   []relatedInfo

	diag   analysis.Diagnostic // for its suggested fixes
	action *checker.Action     // that reported it: its package's files and FileSet
}

type relatedInfo struct {
	posn, end token.Position
	message   string
}

func newReport(graph *checker.Graph, pkgs []*packages.Package, analyzers []*analysis.Analyzer, paths, root pathDisplay) *report {
	rep := &report{
		graph:     graph,
		analyzers: analyzers,
		paths:     paths,
		root:      root,
	}
	rep.errors = append(packageErrors(pkgs, paths), analyzerErrors(graph)...)
	rep.findings = rootFindings(graph)
	return rep
}

// rootFindings collects the diagnostics of the root actions, sorted by
// position and de-duplicated: with tests on, a package and its test variant
// share files, and every diagnostic in those files is reported twice.
// Actions that failed are left out; their error is in report.errors.
func rootFindings(graph *checker.Graph) []*finding {
	type key struct {
		file     string
		offset   int
		analyzer *analysis.Analyzer
		message  string
	}
	seen := make(map[key]bool)
	var list []*finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := &finding{
				analyzer: act.Analyzer,
				posn:     fset.Position(d.Pos),
				end:      fset.Position(cmp.Or(d.End, d.Pos)),
				message:  d.Message,
				category: d.Category,
				url:      d.URL,
				diag:     d,
				action:   act,
			}
			k := key{f.posn.Filename, f.posn.Offset, f.analyzer, f.message}
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, r := range d.Related {
				f.related = append(f.related, relatedInfo{
					posn:    fset.Position(r.Pos),
					end:     fset.Position(cmp.Or(r.End, r.Pos)),
					message: r.Message,
				})
			}
			list = append(list, f)
		}
	}
	slices.SortFunc(list, compareFindings)
	return list
}

func compareFindings(x, y *finding) int {
	return cmp.Or(
		cmp.Compare(x.posn.Filename, y.posn.Filename),
		cmp.Compare(x.posn.Line, y.posn.Line),
		cmp.Compare(x.posn.Column, y.posn.Column),
		cmp.Compare(x.analyzer.Name, y.analyzer.Name),
		cmp.Compare(x.message, y.message),
	)
}
