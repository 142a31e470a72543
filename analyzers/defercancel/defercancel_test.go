package defercancel_test

import (
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
