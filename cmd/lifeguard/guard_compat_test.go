package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
)

// TRANSITIONAL(issue 9): guard_test.go, left as it is while a shared guard
// replaces guard.go, still speaks of what package main held before the
// command was split into packages under internal/. This file gives it
// those names, on top of the packages; it goes with guard_test.go.

// options is the part of the old command line that guard_test.go sets.
type options struct {
	dir       string
	patterns  []string
	analyzers []*analysis.Analyzer
}

// report and finding are the parts of the old report guard_test.go reads.
type report struct {
	errors   []string
	findings []*finding
}

type finding struct {
	analyzer *analysis.Analyzer
}

// analyze runs driver.Analyze, with the tests' files left out as the old
// options' zero value did.
func analyze(opts *options) (*report, error) {
	rep, err := driver.Analyze(&driver.Request{Dir: opts.dir, Patterns: opts.patterns, Analyzers: opts.analyzers})
	if err != nil {
		return nil, err
	}
	r := &report{errors: rep.Errors}
	for _, f := range rep.Findings {
		r.findings = append(r.findings, &finding{analyzer: f.Analyzer})
	}
	return r, nil
}

// noopFact is a fact type no analyzer exports: declaring it makes the
// checker analyze the dependencies.
type noopFact struct{}

func (*noopFact) AFact() {}

func (*noopFact) String() string { return "noop" }

// noFix reports once per file, with no fix.
var noFix = &analysis.Analyzer{
	Name: "nofix",
	Doc:  "report each package clause",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			pass.Reportf(f.Package, "no fix for this")
		}
		return nil, nil
	},
}
