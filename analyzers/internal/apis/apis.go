// Package apis names the standard-library functions, methods and types the
// analyzers watch, and recognises calls to them in SSA form.
package apis

import (
	"go/ast"
	"go/build"
	"go/types"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Callee returns the function or method a call statically invokes, or the
// interface method of an invoke-mode call; nil for calls of function values.
// Generic instantiations are mapped to their origin.
func Callee(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		if obj, ok := v.Object().(*types.Func); ok && obj != nil {
			return obj.Origin()
		}
		if o := v.Origin(); o != nil {
			if obj, ok := o.Object().(*types.Func); ok {
				return obj
			}
		}
	case *ssa.Builtin:
		return nil
	}
	return nil
}

// IsFunc reports whether fn is the package-level function pkgPath.name.
func IsFunc(fn *types.Func, pkgPath, name string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != name || fn.Pkg().Path() != pkgPath {
		return false
	}
	sig, _ := fn.Type().(*types.Signature)
	return sig != nil && sig.Recv() == nil
}

// IsMethod reports whether fn is the method typeName.method declared in
// pkgPath (pointer or value receiver).
func IsMethod(fn *types.Func, pkgPath, typeName, method string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != method || fn.Pkg().Path() != pkgPath {
		return false
	}
	return RecvTypeName(fn) == typeName
}

// RecvTypeName returns the name of the named type of fn's receiver, or "".
func RecvTypeName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return ""
	}
	if n := NamedOf(sig.Recv().Type()); n != nil {
		return n.Obj().Name()
	}
	return ""
}

// NamedOf returns the named type t or *t, or nil.
func NamedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// IsNamed reports whether t is pkgPath.name or a pointer to it.
func IsNamed(t types.Type, pkgPath, name string) bool {
	n := NamedOf(t)
	return n != nil && n.Obj().Pkg() != nil && n.Obj().Name() == name && n.Obj().Pkg().Path() == pkgPath
}

// IsCmd reports whether t is *exec.Cmd or exec.Cmd.
func IsCmd(t types.Type) bool { return IsNamed(t, "os/exec", "Cmd") }

// IsProcess reports whether t is *os.Process.
func IsProcess(t types.Type) bool { return IsNamed(t, "os", "Process") }

// CmdMethod returns the name of the *exec.Cmd method c calls, or "".
func CmdMethod(c *ssa.CallCommon) string {
	fn := Callee(c)
	if fn != nil && !c.IsInvoke() && fn.Pkg() != nil && fn.Pkg().Path() == "os/exec" && RecvTypeName(fn) == "Cmd" {
		return fn.Name()
	}
	return ""
}

// ProcessMethod returns the name of the *os.Process method c calls, or "".
func ProcessMethod(c *ssa.CallCommon) string {
	fn := Callee(c)
	if fn != nil && !c.IsInvoke() && fn.Pkg() != nil && fn.Pkg().Path() == "os" && RecvTypeName(fn) == "Process" {
		return fn.Name()
	}
	return ""
}

// Receiver returns the receiver operand of a static method call, or of an
// invoke-mode call, or nil.
func Receiver(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		return c.Value
	}
	if fn := Callee(c); fn != nil {
		if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil && len(c.Args) > 0 {
			return c.Args[0]
		}
	}
	return nil
}

// StaticFunc returns the *ssa.Function a call statically invokes, or nil.
func StaticFunc(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	return c.StaticCallee()
}

// Watched reports whether the package uses an API that creates or consumes
// what the exec lifecycle analyzers track: Start, Wait or a pipe of an
// exec.Cmd, os.StartProcess, os.Pipe, io.Pipe, or Wait, Kill or Signal of
// an os.Process. A package that only calls Run or Output, or uses none of
// these, cannot break their rules, so no SSA is built for it.
func Watched(info *types.Info, imports []*types.Package) bool {
	return ImportsAndUses(info, imports, watchedFunc, "os/exec", "os", "io")
}

// UsesWatched reports whether the function declaration's body uses one of
// the APIs Watched looks for.
func UsesWatched(info *types.Info, decl *ast.FuncDecl) bool {
	return UsesFunc(info, decl.Body, watchedFunc)
}

// UsesFunc reports whether the syntax below n refers to a function (or
// method) satisfying pred: the cheap, type-only test of whether a
// declaration needs SSA for a rule.
func UsesFunc(info *types.Info, n ast.Node, pred func(*types.Func) bool) bool {
	return AnyNode(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return false
		}
		fn, ok := info.Uses[id].(*types.Func)
		return ok && pred(fn)
	})
}

// HasParam reports whether the function declares a receiver or parameter
// whose type tracked accepts.
func HasParam(info *types.Info, decl *ast.FuncDecl, tracked func(types.Type) bool) bool {
	obj, ok := info.Defs[decl.Name].(*types.Func)
	if !ok {
		return false
	}
	sig := obj.Type().(*types.Signature)
	if r := sig.Recv(); r != nil && tracked(r.Type()) {
		return true
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if tracked(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

func watchedFunc(fn *types.Func) bool {
	pkg := fn.Pkg()
	if pkg == nil {
		return false
	}
	switch pkg.Path() {
	case "os/exec":
		switch fn.Name() {
		case "Start", "Wait", "StdoutPipe", "StderrPipe", "StdinPipe":
			return RecvTypeName(fn) == "Cmd"
		}
	case "os":
		switch fn.Name() {
		case "StartProcess", "Pipe":
			return RecvTypeName(fn) == ""
		case "Wait", "Kill", "Signal":
			return RecvTypeName(fn) == "Process"
		}
	case "io":
		return fn.Name() == "Pipe" && RecvTypeName(fn) == ""
	}
	return false
}

// IsStdlib reports whether pass is a package of the Go distribution: the
// standard library or the commands. Inside GOROOT/src the go command puts
// them in modules "std" and "cmd"; elsewhere they belong to no module, have
// no dot in their first path element, and have their files in GOROOT/src
// (GOPATH packages, such as analysistest's, share the first two traits).
func IsStdlib(pass *analysis.Pass) bool {
	if m := pass.Module; m != nil && m.Path != "" {
		return m.Path == "std" || m.Path == "cmd"
	}
	first, _, _ := strings.Cut(pass.Pkg.Path(), "/")
	if strings.Contains(first, ".") || len(pass.Files) == 0 {
		return false
	}
	file := pass.Fset.File(pass.Files[0].FileStart)
	if file == nil {
		return false
	}
	for _, root := range gorootSrc() {
		if strings.HasPrefix(file.Name(), root) {
			return true
		}
	}
	return false
}

// gorootSrc returns GOROOT/src as this binary knows it, with and without
// symbolic links resolved. A binary built with -trimpath may not know it;
// then no package is taken for the standard library's, which costs time,
// never a finding.
var gorootSrc = sync.OnceValue(func() []string {
	var roots []string
	for _, dir := range []string{os.Getenv("GOROOT"), build.Default.GOROOT} {
		if dir == "" {
			continue
		}
		src := filepath.Join(dir, "src") + string(filepath.Separator)
		roots = append(roots, src)
		if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
			roots = append(roots, filepath.Join(real, "src")+string(filepath.Separator))
		}
	}
	return roots
})

// FuncName is a user-configured function: "pkg/path.Func",
// "(*pkg/path.T).Method" or "pkg/path.T.Method".
type FuncName struct {
	Pkg, Recv, Name string
}

// FuncList is a flag.Value holding comma-separated FuncNames.
type FuncList struct{ Funcs []FuncName }

func (l *FuncList) String() string {
	if l == nil {
		return ""
	}
	var parts []string
	for _, f := range l.Funcs {
		switch {
		case f.Recv != "":
			parts = append(parts, "(*"+f.Pkg+"."+f.Recv+")."+f.Name)
		default:
			parts = append(parts, f.Pkg+"."+f.Name)
		}
	}
	return strings.Join(parts, ",")
}

// Reset empties the list. Set appends, as repeated command-line flags
// should; a driver that sets a list to exactly its own configuration (the
// golangci-lint plugin) resets it first.
func (l *FuncList) Reset() { l.Funcs = nil }

// Set parses a comma-separated list, appending to the list.
func (l *FuncList) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f, err := ParseFuncName(part)
		if err != nil {
			return err
		}
		l.Funcs = append(l.Funcs, f)
	}
	return nil
}

// ParseFuncName parses one FuncName.
func ParseFuncName(s string) (FuncName, error) {
	if strings.HasPrefix(s, "(") {
		closeParen := strings.Index(s, ")")
		if closeParen < 0 || closeParen+2 > len(s) || s[closeParen+1] != '.' {
			return FuncName{}, errBadFunc(s)
		}
		recv := strings.TrimPrefix(s[1:closeParen], "*")
		dot := strings.LastIndex(recv, ".")
		if dot <= 0 {
			return FuncName{}, errBadFunc(s)
		}
		return FuncName{Pkg: recv[:dot], Recv: recv[dot+1:], Name: s[closeParen+2:]}, nil
	}
	dot := strings.LastIndex(s, ".")
	if dot <= 0 || dot == len(s)-1 {
		return FuncName{}, errBadFunc(s)
	}
	pkg, name := s[:dot], s[dot+1:]
	// "pkg/path.T.Method": the package path has no dot after its last slash
	// in the common case, so a second dot there separates type and method.
	slash := strings.LastIndex(pkg, "/")
	if d := strings.LastIndex(pkg, "."); d > slash && d > 0 {
		return FuncName{Pkg: pkg[:d], Recv: pkg[d+1:], Name: name}, nil
	}
	return FuncName{Pkg: pkg, Name: name}, nil
}

type errBadFunc string

func (e errBadFunc) Error() string {
	return "bad function name " + string(e) + `: want "pkg/path.Func" or "(*pkg/path.T).Method"`
}

// Matches reports whether fn is one of the listed functions.
func (l *FuncList) Matches(fn *types.Func) bool {
	if l == nil || fn == nil || fn.Pkg() == nil {
		return false
	}
	for _, f := range l.Funcs {
		if f.Name == fn.Name() && f.Pkg == fn.Pkg().Path() && f.Recv == RecvTypeName(fn) {
			return true
		}
	}
	return false
}

// IsNilConst reports whether v is the constant nil: the nil of a pointer,
// slice, map, channel, func or interface type. go/ssa also represents the
// zero value of a struct or array as a Const with no value; that one is not
// nil (see IsZeroConst).
func IsNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// IsZeroConst reports whether v is the zero value of its type as a
// constant: nil, or the zero value of a struct or array type (var zero T,
// lifted), which go/ssa represents alike. Comparing a variable with it asks
// whether the variable is still unset, whatever its type.
func IsZeroConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value == nil
}

// FieldOf returns the struct field whose address fa takes (cmd.Stdout in
// cmd.Stdout = w), or nil when its type is not known to be a struct's.
func FieldOf(fa *ssa.FieldAddr) *types.Var {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	s, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= s.NumFields() {
		return nil
	}
	return s.Field(fa.Field)
}

// AnyNode reports whether some node of the syntax tree root (root itself
// included) satisfies match, stopping at the first that does: the question
// the analyzers ask of a declaration to decide whether to build its SSA
// ("does it call context.Background?").
func AnyNode(root ast.Node, match func(ast.Node) bool) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		found = match(n)
		return !found
	})
	return found
}

// Calls yields the call instructions of fn (calls, go and defer
// statements), block by block: the loop most rules start with.
func Calls(fn *ssa.Function) iter.Seq[ssa.CallInstruction] {
	return func(yield func(ssa.CallInstruction) bool) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok && !yield(call) {
					return
				}
			}
		}
	}
}

// CalleeIdent returns the identifier that names what the call expression
// fun calls: f, x.f, or a generic function's instance f[T] or x.f[T, U];
// nil when the callee is not named (a function literal, f()()).
func CalleeIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}
