package pipedrain_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPipedrain(t *testing.T) {
	analysistest.Run(t, testdata(t), pipedrain.Analyzer, "pipedrain/a")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, testdata(t), pipedrain.Analyzer, "pipedrain/regress")
}

// The facts of helpers that call helpers, in chains longer than four and in
// cycles, declared in the order that needs the most rounds.
func TestFactsFixedPoint(t *testing.T) {
	analysistest.Run(t, testdata(t), pipedrain.Analyzer, "pipedrain/chain")
}
