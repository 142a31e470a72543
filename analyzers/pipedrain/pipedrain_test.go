package pipedrain_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

func TestPipedrain(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), pipedrain.Analyzer, "pipedrain/a")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), pipedrain.Analyzer, "pipedrain/regress")
}

// The facts of helpers that call helpers, in chains longer than four and in
// cycles, declared in the order that needs the most rounds.
func TestFactsFixedPoint(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), pipedrain.Analyzer, "pipedrain/chain")
}

// Pipes returned by factories, of this package and of another (known by
// their facts).
func TestFactories(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), pipedrain.Analyzer, "pipedrain/factory")
}
