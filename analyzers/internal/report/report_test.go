package report

import (
	"go/token"
	"slices"
	"testing"
)

// The related information at a position is the clause of the message that
// names it, with the position made "here"; a fingerprint names positions
// by file. These are the shapes the analyzers' messages take.
func TestClauses(t *testing.T) {
	run57 := At{Pos: 57, file: "run.go", line: 57}
	h12 := At{Pos: 12, file: "h.go", line: 12}
	h30 := At{Pos: 30, file: "h.go", line: 30}
	git64 := At{Pos: 64, file: "git.go", line: 64}
	literal := FuncName{Decl: "the function literal", At: h12}

	returning := Msgf("%s.Start without Wait %s", "cmd", Msgf("on the path returning %s", run57))
	paren := Msgf("%s %s", "stderr", git64)
	twoPositions := Msgf("the context.WithCancel %s stays alive until %s returns", h30, literal)
	link := Msgf("called from %s %s", Msgf("the HTTP handler literal %s", h12), h30)
	noLine := Msgf("%s.Start without Wait %s", "cmd", Msgf("on the path returning %s", At{}))

	for _, tc := range []struct {
		name        string
		msg         Msg
		text        string
		fingerprint string
		here        map[token.Pos]string // what RelatedClause gives each position, in order
	}{
		{"return", Msgf("%s: the child becomes a zombie and its pipes leak; call cmd.Wait", returning),
			"cmd.Start without Wait on the path returning at run.go:57: the child becomes a zombie and its pipes leak; call cmd.Wait",
			"cmd.Start without Wait on the path returning at run.go: the child becomes a zombie and its pipes leak; call cmd.Wait",
			map[token.Pos]string{57: "cmd.Start without Wait on the path returning here"}},
		{"parenthesis", Msgf("stdout and stderr of cmd are read to EOF one after the other (%s): once ...", paren),
			"stdout and stderr of cmd are read to EOF one after the other (stderr at git.go:64): once ...",
			"stdout and stderr of cmd are read to EOF one after the other (stderr at git.go): once ...",
			map[token.Pos]string{64: "stderr here"}},
		{"two positions", Msgf("defer cancel() inside a loop: %s, one per iteration", twoPositions),
			"defer cancel() inside a loop: the context.WithCancel at h.go:30 stays alive until the function literal at h.go:12 returns, one per iteration",
			"defer cancel() inside a loop: the context.WithCancel at h.go stays alive until the function literal at h.go returns, one per iteration",
			map[token.Pos]string{
				30: "the context.WithCancel here stays alive until the function literal at h.go:12 returns",
				12: "the context.WithCancel at h.go:30 stays alive until the function literal here returns",
			}},
		{"link of a chain", Msgf("goroutine started in audit, %s, has no deferred recover", link),
			"goroutine started in audit, called from the HTTP handler literal at h.go:12 at h.go:30, has no deferred recover",
			"goroutine started in audit, called from the HTTP handler literal at h.go at h.go, has no deferred recover",
			map[token.Pos]string{
				12: "called from the HTTP handler literal here at h.go:30",
				30: "called from the HTTP handler literal at h.go:12 here",
			}},
		{"no position", Msgf("%s: ...", noLine),
			"cmd.Start without Wait on the path returning at the end of the function: ...",
			"cmd.Start without Wait on the path returning at the end of the function: ...",
			nil},
	} {
		if got := tc.msg.String(); got != tc.text {
			t.Errorf("%s: String() = %q, want %q", tc.name, got, tc.text)
		}
		if got := tc.msg.fingerprint(); got != tc.fingerprint {
			t.Errorf("%s: fingerprint() = %q, want %q", tc.name, got, tc.fingerprint)
		}
		// The clause is the message's argument that names positions.
		var clause Msg
		for _, a := range tc.msg.args {
			if m, ok := a.(Msg); ok {
				clause = m
			}
		}
		var f finding
		RelatedClause(clause)(&f)
		if len(f.related) != len(tc.here) {
			t.Errorf("%s: RelatedClause gives %d positions, want %d: %v", tc.name, len(f.related), len(tc.here), f.related)
		}
		for _, r := range f.related {
			if want := tc.here[r.Pos]; r.Message != want {
				t.Errorf("%s: related at %d = %q, want %q", tc.name, r.Pos, r.Message, want)
			}
		}
		if tc.name == "two positions" {
			var order []token.Pos
			for _, r := range f.related {
				order = append(order, r.Pos)
			}
			if !slices.Equal(order, []token.Pos{30, 12}) {
				t.Errorf("related positions in order %v, want the message's order [30 12]", order)
			}
		}
	}
}
