package defercancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
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
	if err := defercancel.Analyzer.Flags.Set("cancel-funcs", "(defercancel/flags.Leaser).Lease,defercancel/flags.NewContext"); err != nil {
		t.Fatal(err)
	}
	defer func() { defercancel.Analyzer.Flags.Lookup("cancel-funcs").Value.(*apis.FuncList).Funcs = nil }()
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/flags")
}

// False positives found in real code, one file per place.
func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), defercancel.Analyzer, "defercancel/regress")
}
