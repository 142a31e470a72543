package cmdwait

import (
	"go/ast"
	"go/types"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
)

// What of a package cmdwait needs beyond the watched APIs: the factories
// (functions returning an *exec.Cmd, whose facts say whether they made and
// started it), their callers, and every function that touches a command
// kept in a struct field (the field rule looks at all of a type's methods).

// usesFactories reports whether the package declares or calls a function
// that returns an *exec.Cmd, other than os/exec's own constructors (a
// package that only calls exec.Command and Run has nothing to check).
func usesFactories(info *types.Info) bool {
	for _, m := range []map[*ast.Ident]types.Object{info.Defs, info.Uses} {
		for _, obj := range m {
			if fn, ok := obj.(*types.Func); ok && isFactoryType(fn) {
				return true
			}
		}
	}
	return false
}

func isFactoryType(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os/exec", "golang.org/x/sys/execabs", "os":
		return false
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return false
	}
	for i := 0; i < sig.Results().Len(); i++ {
		if lifecycle.ReturnsCmd(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// returnsCmd reports whether the declared function returns an *exec.Cmd.
func returnsCmd(info *types.Info, decl *ast.FuncDecl) bool {
	fn, ok := info.Defs[decl.Name].(*types.Func)
	return ok && isFactoryType(fn)
}

// mentionsCmds reports whether the function calls a factory, or reads or
// writes a struct field holding a command or process.
func mentionsCmds(info *types.Info, decl *ast.FuncDecl) bool {
	if decl.Body == nil {
		return false
	}
	return apis.AnyNode(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if s, ok := info.Selections[n]; ok && s.Kind() == types.FieldVal {
				return lifecycle.Tracked(s.Obj().Type())
			}
		case *ast.Ident:
			if fn, ok := info.Uses[n].(*types.Func); ok {
				return isFactoryType(fn)
			}
		}
		return false
	})
}
