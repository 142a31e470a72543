// Package report turns SSA positions back into the source text and short
// locations the analyzers' messages name ("cmd.Start", "run.go:57").
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Source finds the call expressions of a package by the position go/ssa
// gives calls (the Lparen), built on first use.
type Source struct {
	pass  *analysis.Pass
	calls []*ast.CallExpr // sorted by Lparen

	// mentioned holds the positions Where has named since the last
	// Attach, for the related information of the diagnostic whose message
	// they are building.
	mentioned []mention
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

// CallStart returns where the call at Lparen pos begins, or pos.
func (s *Source) CallStart(pos token.Pos) token.Pos {
	if c := s.Call(pos); c != nil {
		return c.Pos()
	}
	return pos
}

// Range returns the call's start and end for a diagnostic, or (pos, NoPos).
func (s *Source) Range(pos token.Pos) (token.Pos, token.Pos) {
	if c := s.Call(pos); c != nil {
		return c.Pos(), c.End()
	}
	return pos, token.NoPos
}

// Func returns the source text of the called function ("cmd.Start"), or def.
func (s *Source) Func(pos token.Pos, def string) string {
	if c := s.Call(pos); c != nil {
		return types.ExprString(c.Fun)
	}
	return def
}

// Recv returns the source text of the receiver of the method call at pos
// ("cmd" for cmd.Start()), or def.
func (s *Source) Recv(pos token.Pos, def string) string {
	if c := s.Call(pos); c != nil {
		if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X)
		}
	}
	return def
}

// Named reports whether an expression text names a variable or field
// (cmd, s.cmd, r.cmd.Process) rather than computing a value (a call, an
// index): only a named receiver can be pointed at in a fix.
func Named(text string) bool {
	for _, r := range text {
		if !(r == '.' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return text != ""
}

// Where returns "file.go:LINE" for pos, the way messages name a related
// position.
func (s *Source) Where(pos token.Pos) string {
	if !pos.IsValid() {
		return "the end of the function"
	}
	p := s.pass.Fset.Position(pos)
	text := fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	s.mentioned = append(s.mentioned, mention{s.CallStart(pos), text})
	return text
}

// A mention is a position Where named, and how.
type mention struct {
	pos  token.Pos
	text string // "file.go:LINE"
}

// Attach gives d, about to be reported, a related location for each
// position its message names through Where ("returning at run.go:57"), so
// that SARIF readers and editors can link to the return, the Wait or the
// pipe the message speaks of; the text formats print them too. Each
// related message is the message's clause that names the position, with
// the position made "here": "cmd.Start without Wait on the path returning
// here". Positions Where named for messages that were never reported, and
// the diagnostic's own line, are left out; the list starts afresh.
func (s *Source) Attach(d *analysis.Diagnostic) {
	own := s.pass.Fset.Position(d.Pos)
	seen := map[string]bool{}
	for _, m := range s.mentioned {
		p := s.pass.Fset.Position(m.pos)
		if seen[m.text] || p.Filename == own.Filename && p.Line == own.Line {
			continue
		}
		seen[m.text] = true
		if clause, ok := clauseNaming(d.Message, m.text); ok {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: m.pos, Message: clause})
		}
	}
	s.mentioned = s.mentioned[:0]
}

// clauseNaming returns the clause of msg that names where, delimited by
// ": ", "; ", ", " and a parenthesis opened after a space, with " at where"
// (or where) replaced by " here"; ok is false when msg does not name where.
func clauseNaming(msg, where string) (string, bool) {
	i := strings.Index(msg, where)
	if i < 0 {
		return "", false
	}
	start, paren := 0, false
	for _, sep := range []string{": ", "; ", ", "} {
		if j := strings.LastIndex(msg[:i], sep); j >= 0 && j+len(sep) > start {
			start = j + len(sep)
		}
	}
	// A parenthesis still open at where, not one of a receiver that closes
	// before it: "(stderr at git.go:64)", not "(*S).ServeHTTP at h.go:30".
	if j := strings.LastIndex(msg[:i], " ("); j >= 0 && j+2 > start && !strings.Contains(msg[j:i], ")") {
		start, paren = j+2, true
	}
	after := i + len(where)
	end := len(msg)
	seps := []string{": ", "; ", ", "}
	if paren {
		seps = append(seps, ")")
	}
	for _, sep := range seps {
		if j := strings.Index(msg[after:], sep); j >= 0 && after+j < end {
			end = after + j
		}
	}
	clause := msg[start:end]
	if c := strings.Replace(clause, " at "+where, " here", 1); c != clause {
		return c, true
	}
	return strings.Replace(clause, where, "here", 1), true
}

// FuncName names a function for messages the way Go declares it:
// "handleUpload", "(*Server).handleUpload", "Server.String", qualified by
// its package name outside the analyzed package; a function literal or the
// body of a range-over-func loop by where it is: "the function literal at
// upload.go:44", "the loop body at upload.go:50".
func (s *Source) FuncName(fn *ssa.Function) string {
	if fn == nil {
		return "a function"
	}
	if fn.Parent() != nil {
		if fn.Synthetic == "range-over-func yield" {
			return "the loop body at " + s.Where(fn.Pos())
		}
		return "the function literal at " + s.Where(fn.Pos())
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return s.ObjName(obj)
	}
	return fn.Name()
}

// ObjName names a declared function or method as FuncName does.
func (s *Source) ObjName(obj *types.Func) string {
	if obj == nil {
		return "a function"
	}
	qual := ""
	if obj.Pkg() != nil && obj.Pkg() != s.pass.Pkg {
		qual = obj.Pkg().Name() + "."
	}
	sig, _ := obj.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return qual + obj.Name()
	}
	recv := sig.Recv().Type()
	ptr := ""
	if p, ok := types.Unalias(recv).(*types.Pointer); ok {
		ptr, recv = "*", p.Elem()
	}
	tname := types.TypeString(recv, func(*types.Package) string { return "" })
	if p, ok := types.Unalias(recv).(*types.Pointer); ok {
		recv = p.Elem()
	}
	if n, ok := types.Unalias(recv).(*types.Named); ok {
		tname = n.Obj().Name()
	}
	if ptr == "" {
		return qual + tname + "." + obj.Name()
	}
	return "(" + ptr + qual + tname + ")." + obj.Name()
}
