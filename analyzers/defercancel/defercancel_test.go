package defercancel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestDefercancel(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/a")
}

// Facts cross packages: helpers' functions that return fresh cancels.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/helpers", "defercancel/facts")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/suppress")
}

// Without the flag, NewContext's cancel is a no-op it makes up and Lease is
// an interface method: neither is known to make a context.
func TestCancelFuncs(t *testing.T) {
	analyzertest.SetFlag(t, defercancel.Analyzer, "cancel-funcs", "(defercancel/flags.Leaser).Lease,defercancel/flags.NewContext")
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/flags")
}

// False positives found in real code, one file per place.
func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/regress")
}

// Rule 3: deferred cleanups whose contexts derive from a context that may
// already be cancelled, and the hard negatives.
func TestCleanupParent(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/cleanup")
}

// Rule 3's fix wraps the parent in context.WithoutCancel, keeping the
// file's name for package context; the golden files must compile.
func TestCleanupFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/fixes")
	analyzertest.TypeCheckGolden(t, analysistest.TestData(), "defercancel/fixes")
}

// Modules: a go 1.21 module gets the fix; a go 1.20 one, which has no
// context.WithoutCancel, gets the finding without a fix (a fix would need a
// .golden file and fail the test).
func TestCleanupFixGoVersion(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "src", "defercancel", "go121"), defercancel.Analyzer, "./...")
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "src", "defercancel", "go120"), defercancel.Analyzer, "./...")
}
