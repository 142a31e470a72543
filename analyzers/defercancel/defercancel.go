package defercancel

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
)

var Analyzer = &analysis.Analyzer{
	Name:      "defercancel",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/defercancel.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.CancelFact)},
}

var cancelFuncs apis.FuncList

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{Package: wantPackage, Func: wantFunc})
	Analyzer.Flags.Var(&cancelFuncs, "cancel-funcs",
		"comma-separated extra functions whose cancel-function results belong to a context made by each call: pkg/path.Func or (*pkg/path.T).Method")
}

// isCancelType reports whether t is a cancel function's type:
// context.CancelFunc, context.CancelCauseFunc, or a func() or func(error)
// they were converted to.
func isCancelType(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 0 || sig.Variadic() {
		return false
	}
	switch sig.Params().Len() {
	case 0:
		return true
	case 1:
		return types.Identical(sig.Params().At(0).Type(), types.Universe.Lookup("error").Type())
	}
	return false
}

// cancelResults returns the bits of sig's results that have a cancel
// function's type.
func cancelResults(sig *types.Signature) uint64 {
	var bits uint64
	for i := 0; i < sig.Results().Len() && i < 64; i++ {
		if isCancelType(sig.Results().At(i).Type()) {
			bits |= 1 << i
		}
	}
	return bits
}

// mayMakeCancel reports whether calling fn may make a new cancellable
// context, judged from its signature: it returns a context.CancelFunc or
// CancelCauseFunc, or a context.Context together with a func() or
// func(error). The context.With* functions are among them.
func mayMakeCancel(fn *types.Func) bool {
	if cancelFuncs.Matches(fn) {
		return true
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return false
	}
	hasCtx, hasFunc := false, false
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		switch {
		case apis.IsCancelFunc(t):
			return true
		case apis.IsContext(t):
			hasCtx = true
		case isCancelType(t):
			hasFunc = true
		}
	}
	return hasCtx && hasFunc
}

// wantPackage: the package calls a function that may make a cancellable
// context (context.With*, or a helper returning a cancel function).
func wantPackage(info *types.Info, _ []*types.Package) bool {
	for _, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && mayMakeCancel(fn) {
			return true
		}
	}
	return false
}

// wantFunc: declarations that call such a function, that return a cancel
// function (for facts), or that defer a call of a same-package function
// (which may make a context as it runs deferred).
func wantFunc(info *types.Info, decl *ast.FuncDecl) bool {
	obj, _ := info.Defs[decl.Name].(*types.Func)
	if obj != nil && mayMakeCancel(obj) {
		return true
	}
	return apis.AnyNode(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := calledFunc(info, n)
			return fn != nil && mayMakeCancel(fn)
		case *ast.DeferStmt:
			fn := calledFunc(info, n.Call)
			return fn != nil && obj != nil && fn.Pkg() == obj.Pkg()
		}
		return false
	})
}

// calledFunc returns the function or method a call expression names, or nil.
func calledFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	id := apis.CalleeIdent(call.Fun)
	if id == nil {
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

type checker struct {
	*lazyssa.Package // the pass, the reporter and source of its findings, the SSA
	// local holds the computed CancelFact bits of the package's functions,
	// closures included.
	local map[*ssa.Function]uint64
	// lostcancel holds the Lparens of context.With* calls whose cancel is
	// assigned to _: go vet's lostcancel reports them.
	lostcancel map[token.Pos]bool
	// defers maps the position of a defer keyword to its statement.
	defers map[token.Pos]*ast.DeferStmt
	// madeBy maps a closure to the instruction that makes it.
	madeBy map[*ssa.Function]*ssa.MakeClosure
	// explicit caches, per function, the cancels each plain call calls.
	explicit map[*ssa.Function]map[*ssa.Call]map[*ssa.Call]bool
	// reported holds the context.With* calls reported as made in a
	// deferred function (a function deferred twice is reported once).
	reported map[*ssa.Call]bool
	// calls maps the package's functions to the call expressions of each
	// use of them (nil for a use that is not a call), built on first use.
	calls map[*types.Func][]*ast.CallExpr
}

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	funcs := p.Funcs
	c := &checker{
		Package:    p,
		local:      map[*ssa.Function]uint64{},
		lostcancel: map[token.Pos]bool{},
		defers:     map[token.Pos]*ast.DeferStmt{},
		madeBy:     map[*ssa.Function]*ssa.MakeClosure{},
		explicit:   map[*ssa.Function]map[*ssa.Call]map[*ssa.Call]bool{},
		reported:   map[*ssa.Call]bool{},
	}
	c.scanSyntax()
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if f, ok := mc.Fn.(*ssa.Function); ok {
						c.madeBy[f] = mc
					}
				}
			}
		}
	}
	c.computeFacts(funcs)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if d, ok := instr.(*ssa.Defer); ok {
					c.checkDeferred(d)
					c.checkLoop(d)
				}
			}
		}
	}
	return nil
}

// scanSyntax records the defer statements and the context.With* calls
// whose cancel is assigned to _ (exactly the ones lostcancel reports).
func (c *checker) scanSyntax() {
	for _, f := range c.Pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			var lhs1 ast.Expr
			var rhs ast.Expr
			switch n := n.(type) {
			case *ast.DeferStmt:
				c.defers[n.Defer] = n
			case *ast.AssignStmt:
				if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
					lhs1, rhs = n.Lhs[1], n.Rhs[0]
				}
			case *ast.ValueSpec:
				if len(n.Names) == 2 && len(n.Values) == 1 {
					lhs1, rhs = n.Names[1], n.Values[0]
				}
			}
			if id, ok := lhs1.(*ast.Ident); ok && id.Name == "_" {
				if call, ok := rhs.(*ast.CallExpr); ok {
					if fn := calledFunc(c.Pass.TypesInfo, call); fn != nil && apis.IsCancelling(apis.ContextFunc(fn)) {
						c.lostcancel[call.Lparen] = true
					}
				}
			}
			return true
		})
	}
}

// owner returns the function whose return runs fn's defers: fn itself, or
// for the body of a range-over-func loop, the function the loop is in.
func owner(fn *ssa.Function) *ssa.Function { return cfgpath.EnclosingFunc(fn) }

func sortedCalls(m map[*ssa.Call]bool) []*ssa.Call {
	l := make([]*ssa.Call, 0, len(m))
	for call := range m {
		l = append(l, call)
	}
	sort.Slice(l, func(i, j int) bool { return l[i].Pos() < l[j].Pos() })
	return l
}
