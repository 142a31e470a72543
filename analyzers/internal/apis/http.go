package apis

import (
	"go/ast"
	"go/types"
)

// IsHandlerSignature reports whether sig is an HTTP handler's:
// func(http.ResponseWriter, *http.Request), as a function, a method
// (ServeHTTP or any other) or an http.HandlerFunc.
func IsHandlerSignature(sig *types.Signature) bool {
	if sig == nil || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	w, r := sig.Params().At(0).Type(), sig.Params().At(1).Type()
	_, isPtr := types.Unalias(r).(*types.Pointer)
	return IsNamed(w, "net/http", "ResponseWriter") && types.IsInterface(w) && isPtr && IsNamed(r, "net/http", "Request")
}

// HasHandlerLiteral reports whether decl makes a function literal with the
// handler signature (an http.HandlerFunc literal).
func HasHandlerLiteral(info *types.Info, decl *ast.FuncDecl) bool {
	return AnyNode(decl.Body, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			return false
		}
		sig, ok := info.TypeOf(lit).(*types.Signature)
		return ok && IsHandlerSignature(sig)
	})
}
