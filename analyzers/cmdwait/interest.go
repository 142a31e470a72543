package cmdwait

import (
	"go/ast"
	"go/types"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
)

// What of a package cmdwait needs beyond the watched APIs: the factories
// and their callers (lifecycle.UsesFactories, DeclaresOrCallsFactory), and
// every function that touches a command kept in a struct field (the field
// rule looks at all of a type's methods).

// mentionsCmdFields reports whether the function reads or writes a struct
// field holding a command or process.
func mentionsCmdFields(info *types.Info, decl *ast.FuncDecl) bool {
	if decl.Body == nil {
		return false
	}
	return apis.AnyNode(decl.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
				return lifecycle.Tracked(s.Obj().Type())
			}
		}
		return false
	})
}
