package ctxbreak_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// TestMain configures the suite as the lifeguard command does when it runs
// only ctxbreak: directives may name any analyzer of the suite, and ctxbreak is the
// one that reports those naming none of them.
func TestMain(m *testing.M) {
	suite.Configure(suite.Config{Running: []*analysis.Analyzer{ctxbreak.Analyzer}})
	os.Exit(m.Run())
}
