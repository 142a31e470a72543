package runner

import (
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestValidateFixesSorts is the regression test of the first runner's one
// difference from analysis/checker: cmdcancel's WaitDelay fix lists its
// edits in the order it makes them (the assignment, then the constant after
// the imports), and the checker sorts them by position before recording
// the diagnostic, which the go/analysis JSON shows. An insertion's End is
// set to its Pos, as the checker sets it; overlapping edits are the
// analyzer's bug.
func TestValidateFixesSorts(t *testing.T) {
	fset := token.NewFileSet()
	tf := fset.AddFile("a.go", -1, 100)
	at := func(off int) token.Pos { return tf.Pos(off) }
	a := &analysis.Analyzer{Name: "cmdcancel"}

	fixes := []analysis.SuggestedFix{{Message: "Set cmd.WaitDelay", TextEdits: []analysis.TextEdit{
		{Pos: at(60), NewText: []byte("\n\tcmd.WaitDelay = cmdWaitDelay")},
		{Pos: at(20), End: at(20), NewText: []byte("\n\nconst cmdWaitDelay = 5 * time.Second")},
	}}}
	if err := validateFixes(fset, a, fixes); err != nil {
		t.Fatal(err)
	}
	edits := fixes[0].TextEdits
	if edits[0].Pos != at(20) || edits[1].Pos != at(60) {
		t.Errorf("edits at %d, %d; want sorted, 20 then 60", tf.Offset(edits[0].Pos), tf.Offset(edits[1].Pos))
	}
	if edits[1].End != edits[1].Pos {
		t.Errorf("an insertion's End is %v, want its Pos", edits[1].End)
	}

	overlapping := []analysis.SuggestedFix{{Message: "m", TextEdits: []analysis.TextEdit{
		{Pos: at(10), End: at(30)}, {Pos: at(20), End: at(40)},
	}}}
	if err := validateFixes(fset, a, overlapping); err == nil || !strings.Contains(err.Error(), "overlapping edits") {
		t.Errorf("overlapping edits: %v, want an error", err)
	}
	twice := []analysis.SuggestedFix{{Message: "m"}, {Message: "m"}}
	if err := validateFixes(fset, a, twice); err == nil {
		t.Error("two fixes with one message: no error")
	}
}
