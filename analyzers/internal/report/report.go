// Package report is how lifeguard's analyzers report a finding: at a call
// or statement, with a message that names the other positions the finding
// is about ("returning at run.go:57"), each of those positions given again
// as related information with a short message of its own, and, for a
// finding about a path, the path's steps. The finding passes through the
// suppression directives (package suppress) on its way out.
//
// In the spirit of staticcheck's analysis/report:
//
//	clause := report.Msgf("%s.Start without Wait on the path returning %s", recv, src.At(ret.Pos()))
//	rep.Report(src.CallRange(call.Pos()),
//		report.Msgf("%s: the child becomes a zombie ...", clause),
//		report.RelatedClause(clause), // at the return: "cmd.Start without Wait on the path returning here"
//		report.Path(report.Step{Pos: call.Pos(), Message: "cmd.Start starts the child"}, ...))
//
// Messages keep the positions they name as At values, not text: the
// related information at a position is the clause that names it, with the
// position made "here", and a finding's fingerprint (what baselines record)
// names positions by file alone. Related gives a related position with a
// message of any other shape.
package report

import (
	"go/ast"
	"go/token"
	"golang.org/x/tools/go/ast/astutil"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/suppress"
)

// A Reporter reports one analyzer's findings in one package.
type Reporter struct {
	pass   *analysis.Pass
	src    *Source
	filter *suppress.Filter
	result *Result
}

// NewReporter returns the reporter for pass, whose analyzer requires
// suppress.Analyzer, and src, pass's source.
func NewReporter(pass *analysis.Pass, src *Source) *Reporter {
	return &Reporter{pass: pass, src: src, filter: suppress.NewFilter(pass), result: &Result{}}
}

// An Option adds to a finding.
type Option func(*finding)

type finding struct {
	related []analysis.RelatedInformation
	path    []Step
	fixes   []analysis.SuggestedFix
}

// Related names a position the message mentions, with what happens there
// ("cmd.Start without Wait on the path returning here"). A call's position
// as go/ssa gives it (its Lparen) stands for the whole call.
func Related(pos token.Pos, message string) Option {
	return func(f *finding) {
		f.related = append(f.related, analysis.RelatedInformation{Pos: pos, Message: message})
	}
}

// Path gives the steps of the path the finding is about, in the order
// control reaches them, the finding's own position among them.
func Path(steps ...Step) Option {
	return func(f *finding) { f.path = append(f.path, steps...) }
}

// Fixes gives the finding's suggested fixes.
func Fixes(fixes ...analysis.SuggestedFix) Option {
	return func(f *finding) { f.fixes = append(f.fixes, fixes...) }
}

// Report reports a finding at rng unless a directive suppresses it. Related
// positions on the finding's own line are left out (the finding shows that
// line already), and so is a second position on a line already named.
func (r *Reporter) Report(rng analysis.Range, msg Msg, opts ...Option) {
	var f finding
	for _, opt := range opts {
		opt(&f)
	}
	d := analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Message: msg.String(), SuggestedFixes: f.fixes}
	own := r.pass.Fset.Position(d.Pos)
	type line struct {
		file string
		line int
	}
	seen := map[line]bool{}
	for _, rel := range f.related {
		if !rel.Pos.IsValid() {
			continue
		}
		rel.Pos = r.src.CallStart(rel.Pos)
		p := r.pass.Fset.Position(rel.Pos)
		l := line{p.Filename, p.Line}
		if seen[l] || l == (line{own.Filename, own.Line}) {
			continue
		}
		seen[l] = true
		d.Related = append(d.Related, rel)
	}
	for i, step := range f.path {
		if !step.End.IsValid() {
			span := r.src.CallRange(step.Pos)
			f.path[i].Pos, f.path[i].End = span.Start, span.Stop
		}
	}
	if r.filter.Report(d) {
		r.result.add(d, Detail{Path: f.path, Fingerprint: msg.fingerprint()})
	}
}

// Finish reports the suppression directives of the analyzer that are
// malformed or unused, and returns the analyzer's result: the details of
// what it reported. Call it once, after the last Report.
func (r *Reporter) Finish() *Result {
	r.filter.Finish()
	return r.result
}

// Source finds the call expressions of a package by the position go/ssa
// gives calls (the Lparen), built on first use, and names functions and
// positions the way messages show them.
type Source struct {
	pass  *analysis.Pass
	calls []*ast.CallExpr // sorted by Lparen
}

// NewSource returns a Source for pass.
func NewSource(pass *analysis.Pass) *Source { return &Source{pass: pass} }

// Call returns the call expression whose Lparen is at pos, or nil.
func (s *Source) Call(pos token.Pos) *ast.CallExpr {
	if s.calls == nil {
		s.calls = []*ast.CallExpr{}
		for _, f := range s.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					s.calls = append(s.calls, c)
				}
				return true
			})
		}
		sort.Slice(s.calls, func(i, j int) bool { return s.calls[i].Lparen < s.calls[j].Lparen })
	}
	i := sort.Search(len(s.calls), func(i int) bool { return s.calls[i].Lparen >= pos })
	if i < len(s.calls) && s.calls[i].Lparen == pos {
		return s.calls[i]
	}
	return nil
}

// Enclosing returns the syntax path from the file containing pos to the
// node at [pos, end), innermost first, or nil: for a fix, the statement
// around a call.
func (s *Source) Enclosing(pos, end token.Pos) []ast.Node {
	for _, f := range s.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, pos, end)
			return path
		}
	}
	return nil
}

// CallStart returns where the call at Lparen pos begins, or pos.
func (s *Source) CallStart(pos token.Pos) token.Pos {
	if c := s.Call(pos); c != nil {
		return c.Pos()
	}
	return pos
}

// A Span is a range of source: a call, a statement, or a position alone
// (End NoPos).
type Span struct{ Start, Stop token.Pos }

func (s Span) Pos() token.Pos { return s.Start }
func (s Span) End() token.Pos { return s.Stop }

// CallRange returns the range of the call at Lparen pos, or pos alone.
func (s *Source) CallRange(pos token.Pos) Span {
	if c := s.Call(pos); c != nil {
		return Span{c.Pos(), c.End()}
	}
	return Span{pos, token.NoPos}
}
