package cmdcancel

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"strings"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file decides whether a command's program may start children of its
// own that outlive a kill of the program: a shell given a script with -c
// (unless the script is one simple command, which the shell execs), or a
// command line the code did not choose (element 0 of a []string: a hook, a
// user's command, a CI step). A tool the code names, by a constant or by
// one configured string (git, s.FFmpeg), is not: its children rarely keep
// its pipes, and reporting every ffmpeg would be noise. -cmdcancel.spawners
// adds the tools that do (make, npm, a wrapper script).

// shells are the shells by base name: given -c, they run a script.
var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "mksh": true}

// program says why the program of the command made by call may start
// children ("" when it need not): the text names it for the message
// ("sh -c with a script built at run time").
func (c *checker) program(call *ssa.Call) string {
	name, args, ok := commandArgs(call)
	if !ok {
		return ""
	}
	var why string
	ownership.Origins(name, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		why = c.programOf(o, args)
		return why == ""
	})
	return why
}

// commandArgs returns the name and the arguments (nil when they are not
// known one by one: a slice spread with ...) of a call of exec.Command or
// exec.CommandContext (or a function of that name and shape).
func commandArgs(call *ssa.Call) (name ssa.Value, args []ssa.Value, ok bool) {
	fn := apis.Callee(&call.Call)
	if fn == nil {
		return nil, nil, false
	}
	a := call.Call.Args
	first := 0
	if fn.Name() == "CommandContext" {
		first = 1
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || !sig.Variadic() || len(a) != first+2 || !isString(a[first].Type()) {
		return nil, nil, false
	}
	return a[first], variadicArgs(a[first+1]), true
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// variadicArgs returns the values go/ssa packed into the slice of a
// variadic call (exec.Command("sh", "-c", s)), or nil for a slice given
// with ... or an empty one.
func variadicArgs(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	return arrayElems(arr)
}

// arrayElems returns the values stored at constant indices of the array
// arr, in order, or nil when one is stored at an index that is not known.
func arrayElems(arr *ssa.Alloc) []ssa.Value {
	at, ok := arr.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := at.Elem().Underlying().(*types.Array)
	if !ok || n.Len() > 64 {
		return nil
	}
	elems := make([]ssa.Value, n.Len())
	for _, r := range ownership.Refs(arr) {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok || k.Value == nil {
			return nil
		}
		i, exact := constant.Int64Val(constant.ToInt(k.Value))
		if !exact || i < 0 || int(i) >= len(elems) {
			return nil
		}
		for _, s := range ownership.Refs(ia) {
			if st, ok := s.(*ssa.Store); ok && st.Addr == ia {
				elems[i] = st.Val
			}
		}
	}
	return elems
}

// programOf says why the program named by o, one origin of the name
// argument, may start children, given the arguments.
func (c *checker) programOf(o ssa.Value, args []ssa.Value) string {
	if s, ok := constString(o); ok {
		base := strings.TrimSuffix(path.Base(strings.ReplaceAll(s, `\`, "/")), ".exe")
		if shells[base] {
			return shellScript(base, args)
		}
		if spawners.Has(base) || spawners.Has(s) {
			return base + ", which starts children of its own (-cmdcancel.spawners)"
		}
		return ""
	}
	if isShellEnv(o) || namedShell(o) {
		return shellScript(shellName(o), args)
	}
	if c.elementZero(o) {
		return "a command line the code did not choose (element 0 of a []string)"
	}
	return ""
}

// shellScript says why the shell sh, given args, may start children: it
// is given a script with -c that is built at run time, or a constant one
// of more than one command. A lone simple command the shell execs, and a
// shell not given -c (a script file, an interactive shell) is left alone.
func shellScript(sh string, args []ssa.Value) string {
	for i, a := range args {
		s, ok := constString(a)
		if !ok || !isDashC(s) {
			continue
		}
		if i+1 >= len(args) || args[i+1] == nil {
			return ""
		}
		script, isConst := constString(args[i+1])
		if !isConst {
			return sh + " -c with a script built at run time"
		}
		if compound(script) {
			return sh + " -c with a script of more than one command"
		}
		return ""
	}
	return ""
}

// isDashC reports whether a shell argument is an option cluster that
// includes -c (-c, -ec, -lc, -euxc).
func isDashC(s string) bool {
	if len(s) < 2 || s[0] != '-' || s[1] == '-' {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return strings.ContainsRune(s[1:], 'c')
}

// compound reports whether a shell script runs more than one command, or
// one in the background: a shell execs a lone simple command in place of
// itself, and then the kill reaches it.
func compound(script string) bool {
	for _, sep := range []string{";", "&", "|", "\n", "$(", "`"} {
		if strings.Contains(strings.TrimSpace(script), sep) {
			return true
		}
	}
	return false
}

func constString(v ssa.Value) (string, bool) {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(k.Value), true
}

// isShellEnv reports whether o is os.Getenv("SHELL") (or os.LookupEnv's).
func isShellEnv(o ssa.Value) bool {
	if ex, ok := o.(*ssa.Extract); ok && ex.Index == 0 {
		o = ex.Tuple
	}
	call, ok := o.(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 {
		return false
	}
	fn := apis.Callee(&call.Call)
	if !apis.IsFunc(fn, "os", "Getenv") && !apis.IsFunc(fn, "os", "LookupEnv") {
		return false
	}
	s, ok := constString(call.Call.Args[0])
	return ok && s == "SHELL"
}

// namedShell reports whether o is a parameter, a global or a struct field
// named shell: a configured shell.
func namedShell(o ssa.Value) bool {
	return strings.EqualFold(valueName(o), "shell")
}

// valueName is the name of the parameter, global or field o is read from.
func valueName(o ssa.Value) string {
	switch o := o.(type) {
	case *ssa.Parameter:
		return o.Name()
	case *ssa.UnOp:
		if o.Op != token.MUL {
			return ""
		}
		switch x := o.X.(type) {
		case *ssa.Global:
			return x.Name()
		case *ssa.FieldAddr:
			if f := apis.FieldOf(x); f != nil {
				return f.Name()
			}
		}
	case *ssa.Field:
		if st, ok := o.X.Type().Underlying().(*types.Struct); ok && o.Field < st.NumFields() {
			return st.Field(o.Field).Name()
		}
	}
	return ""
}

func shellName(o ssa.Value) string {
	if isShellEnv(o) {
		return "$SHELL"
	}
	return "the shell"
}

// elementZero reports whether o is element 0 of a []string the code did not
// fill with constants itself: args[0] of a hook's, a user's or a CI step's
// command line. A slice that is a parameter is the callers' choice: when
// every call in the package passes one whose element 0 is a constant (a
// wrapper run("git", "status")), the code chose it. A test's command lines
// are the test's own (the binaries it built, run directly).
func (c *checker) elementZero(o ssa.Value) bool {
	ld, ok := o.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	ia, ok := ld.X.(*ssa.IndexAddr)
	if !ok || !apis.IsZeroConst(ia.Index) && !isIntZero(ia.Index) {
		return false
	}
	if _, isSlice := ia.X.Type().Underlying().(*types.Slice); !isSlice {
		return false
	}
	if strings.HasSuffix(c.Pass.Fset.Position(ld.Pos()).Filename, "_test.go") ||
		strings.HasSuffix(c.Pass.Fset.Position(ia.Pos()).Filename, "_test.go") {
		return false
	}
	chosen := true
	ownership.Origins(ia.X, map[ssa.Value]bool{}, func(v ssa.Value) bool {
		if p, ok := v.(*ssa.Parameter); ok {
			chosen = c.callersChoose(p)
			return chosen
		}
		chosen = literalOfConstants(v)
		return chosen
	})
	return !chosen
}

// literalOfConstants reports whether the slice v is a literal (or the
// packed ... arguments of a call) whose element 0 is a constant.
func literalOfConstants(v ssa.Value) bool {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	elems := arrayElems(arr)
	if len(elems) == 0 || elems[0] == nil {
		return false
	}
	_, ok = constString(elems[0])
	return ok
}

// callersChoose reports whether every call of p's function in this package
// passes, for p, a []string whose element 0 is a constant, and there is
// one: run("git", "status"), run(ctx, []string{"git", "gc"}). It reads the
// calls from the syntax, since the callers need no SSA of their own.
func (c *checker) callersChoose(p *ssa.Parameter) bool {
	obj, _ := p.Parent().Object().(*types.Func)
	pv, _ := p.Object().(*types.Var)
	if obj == nil || pv == nil {
		return false
	}
	sig := obj.Type().(*types.Signature)
	index := -1
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == pv {
			index = i
		}
	}
	if index < 0 {
		return false
	}
	variadic := sig.Variadic() && index == sig.Params().Len()-1
	calls, chosen := 0, true
	for _, f := range c.Pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !chosen || typeutil.Callee(c.Pass.TypesInfo, call) != obj {
				return chosen
			}
			calls++
			if index >= len(call.Args) {
				chosen = false
				return false
			}
			arg := call.Args[index]
			if variadic && !call.Ellipsis.IsValid() {
				chosen = c.isConstString(arg)
				return chosen
			}
			lit, ok := ast.Unparen(arg).(*ast.CompositeLit)
			chosen = ok && len(lit.Elts) > 0 && c.isConstString(lit.Elts[0])
			return chosen
		})
	}
	return chosen && calls > 0
}

func (c *checker) isConstString(e ast.Expr) bool {
	tv, ok := c.Pass.TypesInfo.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.String
}

func isIntZero(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) == 0
}
