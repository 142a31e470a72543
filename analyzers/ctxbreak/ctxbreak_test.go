package ctxbreak_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// TestCtxbreak checks every finding and, against the .golden files, every
// fix; that every finding of positive.go and copy.go has its one fix is
// checked here (the golden files cannot see a fix that is missing).
func TestCtxbreak(t *testing.T) {
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/a")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			file := filepath.Base(r.Pass.Fset.Position(d.Pos).Filename)
			if file != "positive.go" && file != "copy.go" {
				continue
			}
			n++
			if len(d.SuggestedFixes) != 1 {
				t.Errorf("%s: %d fixes, want 1: %s", r.Pass.Fset.Position(d.Pos), len(d.SuggestedFixes), d.Message)
			}
		}
	}
	if n == 0 {
		t.Error("no findings in positive.go and copy.go")
	}
}

func TestExempt(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/cmd", "ctxbreak/helpers")
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/suppress")
}

// Before Go 1.21 there is no context.WithoutCancel: no fix (a fix would need
// a .golden file and fail the test). The module says go 1.20; a //go:build
// go1.20 line would not do, go/types counts such files as Go 1.21.
func TestNoFixBeforeGo121(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "src", "ctxbreak", "old"), ctxbreak.Analyzer, "./...")
}

func TestRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/regress/...")
}

// Goroutines the function waits for (errgroup, WaitGroup, channel) are not
// detached.
func TestJoined(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/joined")
}

// A failed call done again with a fresh root on its error path.
func TestRetry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/retry")
}

// A context made from a fresh root and used only through Done() in a
// select bounds a wait: work.
func TestSelectWait(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/selectwait")
}

// A request's context carried by a goroutine its handler does not wait
// for, and the goroutines that are waited for, watch the request, or detach.
func TestRequest(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), ctxbreak.Analyzer, "ctxbreak/request")
	// Each finding's path runs from the handler, through the calls that
	// hand the request on, to the go statement.
	n := 0
	for _, r := range results {
		res, _ := r.Result.(*report.Result)
		for _, d := range r.Diagnostics {
			det, ok := res.DetailOf(d)
			want := 2
			if strings.Contains(d.Message, " calls it ") {
				want = 3
			}
			if !ok || len(det.Path) != want || det.Path[len(det.Path)-1].Pos != d.Pos {
				t.Errorf("%s: path %v, want %d steps ending at the go statement", r.Pass.Fset.Position(d.Pos), det.Path, want)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no findings in ctxbreak/request")
	}
}
