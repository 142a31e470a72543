package cmdcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdcancel"
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
