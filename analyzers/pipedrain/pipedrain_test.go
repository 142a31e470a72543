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
