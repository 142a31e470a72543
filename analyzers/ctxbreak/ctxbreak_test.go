package ctxbreak_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCtxbreak(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), ctxbreak.Analyzer, "ctxbreak/a")
}

func TestExempt(t *testing.T) {
	analysistest.Run(t, testdata(t), ctxbreak.Analyzer, "ctxbreak/cmd", "ctxbreak/testutil")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, testdata(t), ctxbreak.Analyzer, "ctxbreak/suppress")
}

// Before Go 1.21 there is no context.WithoutCancel: no fix (a fix would need
// a .golden file and fail the test). The module says go 1.20; a //go:build
// go1.20 line would not do, go/types counts such files as Go 1.21.
func TestNoFixBeforeGo121(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(testdata(t), "src", "ctxbreak", "old"), ctxbreak.Analyzer, "./...")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, testdata(t), ctxbreak.Analyzer, "ctxbreak/regress/...")
}
