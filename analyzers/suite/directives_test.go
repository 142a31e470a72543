package suite_test

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/suppress"
	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// Directives that name no analyzer of the suite are reported once, by the
// first analyzer of the suite that runs, whichever that is: one of
// lifeguard's own, a bundled go vet analyzer, or a staticcheck check.
func TestUnknownDirectivesWhicheverAnalyzersRun(t *testing.T) {
	t.Cleanup(func() { suite.Configure(suite.Config{}) })
	for _, a := range suite.All() {
		t.Run(a.Name, func(t *testing.T) {
			suite.Configure(suite.Config{Running: []*analysis.Analyzer{a}})
			analysistest.Run(t, analysistest.TestData(), a, "directives")
		})
	}
}

// Every analyzer of the suite reads the directives from suppress.Analyzer,
// so that the checker parses them once per package for all of them.
func TestDirectivesParsedOnce(t *testing.T) {
	for _, a := range suite.All() {
		if !slices.Contains(a.Requires, suppress.Analyzer) {
			t.Errorf("%s does not require suppress.Analyzer: it would parse the directives itself, or ignore them", a.Name)
		}
	}
}
