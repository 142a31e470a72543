package analyzertest

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// Main is an analyzer package's TestMain: directives may name any analyzer
// of the suite, and a is the one that reports those naming none of them,
// as in "lifeguard -NAME"; then it runs the tests and exits.
func Main(m *testing.M, a *analysis.Analyzer) {
	suite.Configure(suite.Config{Running: []*analysis.Analyzer{a}})
	os.Exit(m.Run())
}
