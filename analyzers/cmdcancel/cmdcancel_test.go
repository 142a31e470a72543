package cmdcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdcancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestCmdcancel(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/a")
}

// Facts cross packages: helpers that set a command up, kill it, run it,
// and factories.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/helpers", "cmdcancel/facts")
}

// Commands kept in fields: the kill in another method.
func TestFields(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/fields")
}

// The suggested fix sets WaitDelay to a constant it declares, importing
// time when the file does not; the fixed files type-check.
func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/fixes", "cmdcancel/fixtime")
	analyzertest.TypeCheckGolden(t, analysistest.TestData(), "cmdcancel/fixes", "cmdcancel/fixtime")
}

// -spawners names programs that start children of their own.
func TestSpawners(t *testing.T) {
	analyzertest.SetFlag(t, cmdcancel.Analyzer, "spawners", "make,npm")
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/spawners")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/suppress")
}

// False positives found in real code.
func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdcancel.Analyzer, "cmdcancel/regress")
}
