package cmdwait_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
)

func TestCmdwait(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/a", "cmdwait/daemon", "cmdwait/fieldkill", "cmdwait/fieldkillok")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/suppress")
}

// Without configuration the helpers are unknown, hand-offs at best: Adopt
// only borrows (it does nothing), so adopted leaks; Reap likewise.
func TestExtraWaitFuncs(t *testing.T) {
	if err := cmdwait.Analyzer.Flags.Set("wait-funcs", "cmdwait/flags.Reap,(*cmdwait/flags.supervisor).Adopt"); err != nil {
		t.Fatal(err)
	}
	defer cmdwait.Analyzer.Flags.Set("wait-funcs", "")
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/flags")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/regress")
}
