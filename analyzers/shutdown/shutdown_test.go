package shutdown_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/shutdown"
)

func TestDeadline(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/deadline")
}

func TestServe(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/serve", "shutdown/noshutdown")
}

func TestSignals(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/signals")
}

func TestExits(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/exits")
}

// Facts cross packages: a helper's Shutdown context, a wrapper's Serve
// error.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/helpers", "shutdown/facts")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/suppress")
}

// False positives found in real code.
func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), shutdown.Analyzer, "shutdown/helpers", "shutdown/regress")
}
