package defercancel_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// TestMain configures the suite as the lifeguard command does when it runs
// only defercancel: directives may name any analyzer of the suite, and defercancel is the
// one that reports those naming none of them.
func TestMain(m *testing.M) {
	suite.Configure(suite.Config{Running: []*analysis.Analyzer{defercancel.Analyzer}})
	os.Exit(m.Run())
}
