package lifecycle

import (
	"go/ast"
	"go/types"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

// What of a package an analyzer following commands through factories needs
// built: the factories (functions returning an *exec.Cmd, whose facts say
// whether they made it, started it and return its pipes) and their callers.

// IsFactoryType reports whether fn returns an *exec.Cmd and is not one of
// os/exec's own constructors.
func IsFactoryType(fn *types.Func) bool {
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
		if ReturnsCmd(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// UsesFactories reports whether the package declares or calls a factory.
func UsesFactories(info *types.Info) bool {
	for _, m := range []map[*ast.Ident]types.Object{info.Defs, info.Uses} {
		for _, obj := range m {
			if fn, ok := obj.(*types.Func); ok && IsFactoryType(fn) {
				return true
			}
		}
	}
	return false
}

// DeclaresOrCallsFactory reports whether the declared function is a factory
// or calls one.
func DeclaresOrCallsFactory(info *types.Info, decl *ast.FuncDecl) bool {
	if fn, ok := info.Defs[decl.Name].(*types.Func); ok && IsFactoryType(fn) {
		return true
	}
	if decl.Body == nil {
		return false
	}
	return apis.UsesFunc(info, decl.Body, IsFactoryType)
}
