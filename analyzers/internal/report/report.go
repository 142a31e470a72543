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

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Source finds the call expressions of a package by the position go/ssa
// gives calls (the Lparen), built on first use.
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
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
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
