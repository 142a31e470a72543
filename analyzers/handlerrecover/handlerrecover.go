package handlerrecover

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
)

var Analyzer = &analysis.Analyzer{
	Name:      "handlerrecover",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/handlerrecover.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.RecoverFact)},
}

var recoverFuncs, wrapperFuncs apis.FuncList

func init() {
	// Tests are not reported, and facts are for importers, which do not
	// see test files.
	lazyssa.Consume(Analyzer, lazyssa.Interest{Package: wantPackage, Func: wantFunc, SkipTests: true})
	Analyzer.Flags.Var(&recoverFuncs, "recover-funcs",
		"comma-separated extra functions that stop a panic when deferred (they call recover): pkg/path.Func or (*pkg/path.T).Method")
	Analyzer.Flags.Var(&wrapperFuncs, "wrapper-funcs",
		"comma-separated extra functions that run their func arguments under a deferred recover: pkg/path.Func or (*pkg/path.T).Method")
}

var universeRecover = types.Universe.Lookup("recover")

// wantPackage: handlers need net/http; facts need recover, or a helper of
// another module's package that recovers (a package that defers
// panics.Recover() from a package of its own module exports that its
// functions are protected, without calling recover or importing net/http).
// A package importing only the standard library and never calling recover
// has nothing to say: the standard library has no recovering helpers.
//
// In the Go distribution itself only handlers are looked for: it exports no
// facts (exportFacts), and what a handler reaches in its package is built
// with it.
func wantPackage(info *types.Info, imports []*types.Package) bool {
	for _, p := range imports {
		if p.Path() == "net/http" {
			return true
		}
	}
	if inStd(info) {
		return false
	}
	for _, obj := range info.Uses {
		if obj == universeRecover {
			return true
		}
	}
	nonStd := false
	for _, p := range imports {
		if !apis.IsStdPath(p.Path()) {
			nonStd = true
			break
		}
	}
	if !nonStd {
		return false
	}
	for _, obj := range info.Defs {
		if obj != nil && obj.Pkg() != nil {
			return !apis.IsStdPath(obj.Pkg().Path())
		}
	}
	return false
}

// wantFunc selects the declarations to build: handlers and the
// declarations holding handler literals (the roots; everything they call is
// built with them, their go statements and goroutine functions included),
// and what facts are made of: calls of recover, defers that may recover,
// func parameters (wrappers), calls passing a function to another module's
// function (a body run through a wrapper).
func wantFunc(info *types.Info, decl *ast.FuncDecl) bool {
	obj, _ := info.Defs[decl.Name].(*types.Func)
	if obj == nil {
		return false
	}
	sig := obj.Type().(*types.Signature)
	if apis.IsHandlerSignature(sig) {
		return true
	}
	if obj.Pkg() != nil && apis.IsStdPath(obj.Pkg().Path()) {
		return apis.HasHandlerLiteral(info, decl)
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if isFunc(sig.Params().At(i).Type()) {
			return true
		}
	}
	return apis.AnyNode(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			sig, ok := info.TypeOf(n).(*types.Signature)
			return ok && apis.IsHandlerSignature(sig)
		case *ast.DeferStmt:
			return deferMayRecover(info, n.Call)
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && fn.Pkg() != nil && !apis.IsStdPath(fn.Pkg().Path()) {
				for _, arg := range n.Args {
					if isFunc(info.TypeOf(arg)) {
						return true
					}
				}
			}
		case *ast.Ident:
			return info.Uses[n] == universeRecover
		}
		return false
	})
}

// inStd reports whether the package info describes is the Go
// distribution's.
func inStd(info *types.Info) bool {
	for _, obj := range info.Defs {
		if obj != nil && obj.Pkg() != nil {
			return apis.IsStdPath(obj.Pkg().Path())
		}
	}
	return false
}

// deferMayRecover reports whether a deferred call might stop a panic:
// a literal, a function outside the standard library, a func-typed field.
// Not a standard-library function or method (Unlock, Close, Done), nor a
// local function variable (cancel).
func deferMayRecover(info *types.Info, call *ast.CallExpr) bool {
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return true
	}
	switch obj := typeutil.Callee(info, call).(type) {
	case *types.Func:
		return obj.Pkg() != nil && !apis.IsStdPath(obj.Pkg().Path()) || recoverFuncs.Matches(obj)
	case *types.Var:
		return obj.IsField()
	case *types.Builtin:
		return false
	}
	return true
}

// isFunc reports whether t is a function type (named or not).
func isFunc(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

type checker struct {
	*lazyssa.Package // the pass, the reporter and source of its findings, the SSA

	recovers map[*ssa.Function]bool
	runs     map[*ssa.Function]uint64
	prot     map[*ssa.Function]protection
	imported map[*types.Func]*facts.RecoverFact

	starts  map[*ssa.Function][]runUse // how each function runs its func parameters
	links   map[*ssa.Function]link
	goStmts map[token.Pos]*ast.GoStmt // by go keyword, built on first use
}

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	c := &checker{
		Package:  p,
		imported: map[*types.Func]*facts.RecoverFact{},
	}
	c.summarize()
	c.summarizeStarts()
	c.exportFacts()
	reached := c.reach()
	reported := c.checkGoStmts(reached)
	c.checkHelpers(reached, reported)
	return nil
}

// goStmt returns the go statement whose go keyword is at pos, or nil.
func (c *checker) goStmt(pos token.Pos) *ast.GoStmt {
	if c.goStmts == nil {
		c.goStmts = map[token.Pos]*ast.GoStmt{}
		for _, f := range c.Pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if g, ok := n.(*ast.GoStmt); ok {
					c.goStmts[g.Go] = g
				}
				return true
			})
		}
	}
	return c.goStmts[pos]
}

func isTestFile(fset *token.FileSet, pos token.Pos) bool {
	return strings.HasSuffix(fset.Position(pos).Filename, "_test.go")
}
