package cmdwait_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCmdwait(t *testing.T) {
	analysistest.Run(t, testdata(t), cmdwait.Analyzer, "cmdwait/a", "cmdwait/daemon", "cmdwait/fieldkill", "cmdwait/fieldkillok")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, testdata(t), cmdwait.Analyzer, "cmdwait/suppress")
}

// Without configuration the helpers are unknown, hand-offs at best: Adopt
// only borrows (it does nothing), so adopted leaks; Reap likewise.
func TestExtraWaitFuncs(t *testing.T) {
	if err := cmdwait.Analyzer.Flags.Set("wait-funcs", "cmdwait/flags.Reap,(*cmdwait/flags.supervisor).Adopt"); err != nil {
		t.Fatal(err)
	}
	defer cmdwait.Analyzer.Flags.Set("wait-funcs", "")
	analysistest.Run(t, testdata(t), cmdwait.Analyzer, "cmdwait/flags")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, testdata(t), cmdwait.Analyzer, "cmdwait/regress")
}

// The facts of helpers that call helpers, in chains longer than four and in
// cycles, declared in the order that needs the most rounds.
func TestFactsFixedPoint(t *testing.T) {
	analysistest.Run(t, testdata(t), cmdwait.Analyzer, "cmdwait/chain")
}
