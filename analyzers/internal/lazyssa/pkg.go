package lazyssa

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Package returns the SSA package of pass, or nil, for an analyzer that
// called Take and has not released it yet. Its init function holds the
// function literals of package-level variable initializers
// (var h = http.HandlerFunc(func(w, r) {...})), which are not among the
// source functions Take returns.
func Package(pass *analysis.Pass) *ssa.Package {
	res, _ := pass.ResultOf[Analyzer].(*Result)
	if res == nil || !res.wanted[pass.Analyzer] {
		return nil
	}
	res.mu.Lock()
	defer res.mu.Unlock()
	if res.ssa == nil {
		return nil
	}
	return res.ssa.Pkg
}
