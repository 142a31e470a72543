package driver

import "golang.org/x/tools/go/analysis"

// noopAnalyzer replaces the suite under -noop, so that benchmarks can measure
// the floor under every analyzer: loading and type-checking through this
// same driver. It declares a fact type, which makes the checker load all
// packages from source and run one action on every package, dependencies
// included, exactly as for the real, fact-using analyzers. It does nothing.
var noopAnalyzer = &analysis.Analyzer{
	Name:      "noop",
	Doc:       "do nothing (lifeguard -noop: the load and type-check floor, for benchmarks)",
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	FactTypes: []analysis.Fact{new(noopFact)},
}

// noopFact is never exported; declaring it is what matters.
type noopFact struct{}

func (*noopFact) AFact() {}

func (*noopFact) String() string { return "noop" }
