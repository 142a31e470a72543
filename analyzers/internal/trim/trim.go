// Package trim gives the builders of large structures (SSA forms,
// control-flow graphs) copies of a package's files reduced to the functions
// someone asked about.
package trim

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// Decls are the function declarations with bodies of a package, by their
// objects.
type Decls map[*types.Func]*ast.FuncDecl

// FuncDecls returns the function declarations with bodies of files.
func FuncDecls(files []*ast.File, info *types.Info) Decls {
	decls := Decls{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
					decls[obj] = fd
				}
			}
		}
	}
	return decls
}

// Bodies returns pass's files with the body of every function declaration
// dropped but those keep reports true for and, with follow, those they and
// the nodes also refer to in this package, transitively; decls are the
// package's declarations (FuncDecls). go/ssa builds a declaration without a
// body as an external function: nothing, at no cost. In a package of a
// hundred files that runs one command, that is one function built instead of
// thousands. The files are shallow copies; pass's own are not changed.
func Bodies(pass *analysis.Pass, decls Decls, keep func(*ast.FuncDecl) bool, follow bool, also ...ast.Node) []*ast.File {
	kept := map[*ast.FuncDecl]bool{}
	var queue []*ast.FuncDecl
	for _, fd := range decls {
		if keep(fd) {
			kept[fd] = true
			if follow {
				queue = append(queue, fd)
			}
		}
	}
	refs := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj, ok := pass.TypesInfo.Uses[id].(*types.Func)
			if !ok || obj.Pkg() != pass.Pkg {
				return true
			}
			if callee := decls[obj.Origin()]; callee != nil && !kept[callee] {
				kept[callee] = true
				queue = append(queue, callee)
			}
			return true
		})
	}
	if follow {
		for _, n := range also {
			refs(n)
		}
	}
	for len(queue) > 0 {
		fd := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		refs(fd.Body)
	}
	files := make([]*ast.File, len(pass.Files))
	for i, f := range pass.Files {
		copied := *f
		copied.Decls = make([]ast.Decl, len(f.Decls))
		for j, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !kept[fd] {
				bodiless := *fd
				bodiless.Body = nil
				d = &bodiless
			}
			copied.Decls[j] = d
		}
		files[i] = &copied
	}
	return files
}
