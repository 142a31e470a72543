package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
)

// An At is a position as a message names it: "at run.go:57", or "at the
// end of the function" for the implicit return of a function whose body
// falls off its end (no position). In the related information at its own
// position it reads "here" (Msg.Here); in a fingerprint, "at run.go".
type At struct {
	Pos  token.Pos
	file string // base name
	line int    // 0: no position
}

func (a At) String() string { return a.render(false) }

func (a At) render(fingerprint bool) string {
	switch {
	case a.line == 0:
		return "at the end of the function"
	case fingerprint:
		// The file alone stays the same when code is inserted above.
		return "at " + a.file
	}
	return "at " + a.file + ":" + strconv.Itoa(a.line)
}

// At returns pos as messages name it.
func (s *Source) At(pos token.Pos) At {
	if !pos.IsValid() {
		return At{}
	}
	p := s.pass.Fset.Position(pos)
	return At{Pos: pos, file: filepath.Base(p.Filename), line: p.Line}
}

// A Msg is a finding's message, or a clause of one: a format and its
// arguments, kept apart so that the At arguments can be shown three ways:
// with their lines (String), as "here" at their own position (Here), and
// without lines (the fingerprint). Msg and FuncName arguments are shown the
// same way, recursively.
type Msg struct {
	format string
	args   []any
}

// Msgf returns the message format makes of args, as fmt.Sprintf would.
// At, FuncName and Msg arguments are shown with %s or %v.
func Msgf(format string, args ...any) Msg { return Msg{format, args} }

func (m Msg) String() string { return m.render(renderLines, token.NoPos) }

// Here returns the message as the related information at pos shows it:
// the At naming pos reads "here" ("cmd.Start without Wait on the path
// returning here"), the others as usual.
func (m Msg) Here(pos token.Pos) string { return m.render(renderHere, pos) }

func (m Msg) fingerprint() string { return m.render(renderFingerprint, token.NoPos) }

type renderMode int

const (
	renderLines renderMode = iota
	renderHere
	renderFingerprint
)

func (m Msg) render(mode renderMode, here token.Pos) string {
	args := make([]any, len(m.args))
	for i, a := range m.args {
		switch a := a.(type) {
		case At:
			if mode == renderHere && a.line != 0 && a.Pos == here {
				args[i] = "here"
			} else {
				args[i] = a.render(mode == renderFingerprint)
			}
		case Msg:
			args[i] = a.render(mode, here)
		case FuncName:
			args[i] = a.Msg().render(mode, here)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(m.format, args...)
}

// RelatedClause gives each position the clause names (its At arguments,
// in order) the related information clause.Here(pos): "cmd.Start without
// Wait on the path returning here" for the clause "cmd.Start without Wait
// on the path returning at run.go:57" of the message.
func RelatedClause(clause Msg) Option {
	return func(f *finding) {
		for _, pos := range clause.positions(nil) {
			Related(pos, clause.Here(pos))(f)
		}
	}
}

// positions appends the positions of m's At arguments, in order.
func (m Msg) positions(list []token.Pos) []token.Pos {
	for _, a := range m.args {
		switch a := a.(type) {
		case At:
			if a.line != 0 {
				list = append(list, a.Pos)
			}
		case Msg:
			list = a.positions(list)
		case FuncName:
			list = a.Msg().positions(list)
		}
	}
	return list
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

// A FuncName names a function for messages the way Go declares it:
// "handleUpload", "(*Server).handleUpload", "Server.String", qualified by
// its package name outside the analyzed package; a function literal or the
// body of a range-over-func loop by where it is: "the function literal at
// upload.go:44", "the loop body at upload.go:50".
type FuncName struct {
	// Decl is the declared function's name, or the kind of literal:
	// "the function literal", "the loop body".
	Decl string
	// At is where a literal is; the zero At for a declared function.
	At At
}

// Literal reports whether the name is a literal's, by its position.
func (n FuncName) Literal() bool { return n.At.line != 0 }

// Msg is the name as messages show it.
func (n FuncName) Msg() Msg {
	if n.Literal() {
		return Msgf("%s %s", n.Decl, n.At)
	}
	return Msgf("%s", n.Decl)
}

func (n FuncName) String() string { return n.Msg().String() }

// FuncName names fn.
func (s *Source) FuncName(fn *ssa.Function) FuncName {
	if fn == nil {
		return FuncName{Decl: "a function"}
	}
	if fn.Parent() != nil {
		decl := "the function literal"
		if cfgpath.IsRangeFuncBody(fn) {
			decl = "the loop body"
		}
		return FuncName{Decl: decl, At: s.At(fn.Pos())}
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return FuncName{Decl: s.ObjName(obj)}
	}
	return FuncName{Decl: fn.Name()}
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
