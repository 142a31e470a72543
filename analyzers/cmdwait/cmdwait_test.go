package cmdwait_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestCmdwait(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/a", "cmdwait/daemon", "cmdwait/fieldkill", "cmdwait/fieldkillok", "cmdwait/factory", "cmdwait/fields")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/suppress")
}

const waitFuncs = "cmdwait/flags.Reap,(*cmdwait/flags.supervisor).Adopt"

// Without configuration the helpers are unknown, hand-offs at best: Adopt
// only borrows (it does nothing), so adopted leaks; Reap likewise.
func TestExtraWaitFuncs(t *testing.T) {
	analyzertest.SetFlag(t, cmdwait.Analyzer, "wait-funcs", waitFuncs)
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/flags")
}

type recorder struct{ errors []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// A flag a test sets does not outlive it: after a subtest configured
// -wait-funcs, cmdwait/flags is analyzed as unconfigured again, and both of
// its Starts are reported (as unexpected diagnostics: the package expects
// the configured run).
func TestWaitFuncsDoNotLeak(t *testing.T) {
	t.Run("configured", func(t *testing.T) {
		analyzertest.SetFlag(t, cmdwait.Analyzer, "wait-funcs", waitFuncs)
		analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/flags")
	})
	if got := cmdwait.Analyzer.Flags.Lookup("wait-funcs").Value.String(); got != "" {
		t.Fatalf("-wait-funcs after the subtest: %q, want empty", got)
	}
	var rec recorder
	analysistest.Run(&rec, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/flags")
	var lines []string
	for _, e := range rec.errors {
		if strings.Contains(e, "unexpected diagnostic: cmd.Start without Wait") {
			_, after, _ := strings.Cut(e, "flags.go:")
			line, _, _ := strings.Cut(after, ":")
			lines = append(lines, line)
		}
	}
	if strings.Join(lines, ",") != "14,23" || len(rec.errors) != 2 {
		t.Errorf("unconfigured: Start findings at flags.go lines %v, want 14 and 23 only; errors:\n%s", lines, strings.Join(rec.errors, "\n"))
	}
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/regress", "cmdwait/regress/session")
}

// The facts of helpers that call helpers, in chains longer than four and in
// cycles, declared in the order that needs the most rounds.
func TestFactsFixedPoint(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/chain")
}
