package cmdwait_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestTimeout(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/timeout", "cmdwait/timeout/cli")
}

func TestForkExec(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/forkexec", "cmdwait/forkexec/initsys")
}

// The fixes are applied and compared with the golden files, and the fixed
// package must compile.
func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/fixes")
	analyzertest.TypeCheckGolden(t, analysistest.TestData(), "cmdwait/fixes")
}
