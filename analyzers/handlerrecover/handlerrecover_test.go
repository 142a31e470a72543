package handlerrecover_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/handlerrecover"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestHandlerrecover(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/a", "handlerrecover/safe", "handlerrecover/relay")
}

func TestNotFromHandlers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/daemon")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/suppress")
}

// The flags name a helper and wrappers whose recover lifeguard cannot see:
// with them nothing in handlerrecover/flags is reported; without them,
// every goroutine there is.
func TestExtraFuncs(t *testing.T) {
	analyzertest.SetFlag(t, handlerrecover.Analyzer, "recover-funcs", "handlerrecover/flaghelp.Guard")
	analyzertest.SetFlag(t, handlerrecover.Analyzer, "wrapper-funcs", "handlerrecover/flaghelp.Go,(*handlerrecover/flaghelp.Pool).Submit")
	analysistest.Run(t, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/flags")
}

type recorder struct{ errors []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Without the flags, the go statements of handlerrecover/flags are all
// reported (as unexpected diagnostics: the package has no want comments),
// and the facts are not there.
func TestExtraFuncsNeeded(t *testing.T) {
	var rec recorder
	analysistest.Run(&rec, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/flags")
	n := 0
	for _, e := range rec.errors {
		if strings.Contains(e, "unexpected diagnostic: goroutine started in HTTP handler handler has no deferred recover") {
			n++
		}
	}
	if n != 6 {
		t.Errorf("without flags: %d go statements reported, want 6; errors:\n%s", n, strings.Join(rec.errors, "\n"))
	}
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), handlerrecover.Analyzer, "handlerrecover/regress")
}
