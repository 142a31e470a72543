package ctxbreak

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name: "ctxbreak",
	Doc:  doc,
	URL:  "https://github.com/lifeguard-go/lifeguard/blob/main/docs/ctxbreak.md",
	Run:  run,
}

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{
		Package: func(info *types.Info, imports []*types.Package) bool {
			return usesNewRoot(info, imports) || usesRequestContext(info, imports)
		},
		SkipTests: true, // tests are not reported
		Func: func(info *types.Info, decl *ast.FuncDecl) bool {
			if apis.UsesFunc(info, decl.Body, func(fn *types.Func) bool { return apis.IsNewRoot(apis.ContextFunc(fn)) }) {
				return true
			}
			// The handlers (request.go): everything they reach in the
			// package is built with them.
			obj, _ := info.Defs[decl.Name].(*types.Func)
			if obj == nil {
				return false
			}
			return apis.IsHandlerSignature(obj.Type().(*types.Signature)) || apis.HasHandlerLiteral(info, decl)
		},
	})
}

// usesRequestContext reports whether the package calls
// (*http.Request).Context: only there can a handler's goroutine carry the
// request's context (request.go follows it in the package).
func usesRequestContext(info *types.Info, imports []*types.Package) bool {
	importsHTTP := false
	for _, p := range imports {
		if p.Path() == "net/http" {
			importsHTTP = true
			break
		}
	}
	if !importsHTTP {
		return false
	}
	for _, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && apis.IsMethod(fn, "net/http", "Request", "Context") {
			return true
		}
	}
	return false
}

// usesNewRoot reports whether the package refers to context.Background or
// context.TODO: no other package can break a chain.
func usesNewRoot(info *types.Info, imports []*types.Package) bool {
	importsContext := false
	for _, p := range imports {
		if p.Path() == "context" {
			importsContext = true
			break
		}
	}
	if !importsContext {
		return false
	}
	for _, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && apis.IsNewRoot(apis.ContextFunc(fn)) {
			return true
		}
	}
	return false
}

type checker struct {
	*lazyssa.Package                  // the pass, the reporter and source of its findings, the SSA
	ctx              *types.Interface // context.Context

	guards map[*ssa.Function]*guards
	// paramWork caches what a function of the package does with a
	// context parameter: workYes, paramKept, workNo, or workPending
	// while it is being decided.
	paramWork map[*ssa.Parameter]int8
	// paramWorkReq is paramWork for a request's context (request.go).
	paramWorkReq map[*ssa.Parameter]int8
	// reqReached is how each function is reached from a handler
	// (request.go).
	reqReached map[*ssa.Function]reqReach
	// syncs caches synchronous.
	syncs map[*ssa.Function]bool
	// joins caches joinSites.
	joins map[*ssa.Function][]ssa.Instruction
}

const (
	workPending int8 = iota + 1
	workYes
	workNo
	paramKept
)

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	funcs := p.Funcs
	c := &checker{Package: p, guards: map[*ssa.Function]*guards{}, paramWork: map[*ssa.Parameter]int8{}, paramWorkReq: map[*ssa.Parameter]int8{}, syncs: map[*ssa.Function]bool{}, joins: map[*ssa.Function][]ssa.Instruction{}}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee := apis.Callee(&call.Call)
				if name := apis.ContextFunc(callee); apis.IsNewRoot(name) {
					if c.ctx == nil {
						c.ctx = contextInterface(callee.Pkg())
						if c.ctx == nil {
							return nil
						}
					}
					c.checkRoot(fn, call)
				}
			}
		}
	}
	if c.ctx == nil {
		c.ctx = requestContextType(p.Pass.Pkg)
	}
	if c.ctx != nil {
		c.checkRequests()
	}
	return nil
}

// requestContextType returns context.Context as (*http.Request).Context
// returns it, when pkg imports net/http; nil otherwise.
func requestContextType(pkg *types.Package) *types.Interface {
	for _, imp := range pkg.Imports() {
		if imp.Path() != "net/http" {
			continue
		}
		obj, _ := imp.Scope().Lookup("Request").(*types.TypeName)
		if obj == nil {
			return nil
		}
		m, _, _ := types.LookupFieldOrMethod(types.NewPointer(obj.Type()), true, imp, "Context")
		fn, _ := m.(*types.Func)
		if fn == nil {
			return nil
		}
		sig, _ := fn.Type().(*types.Signature)
		if sig == nil || sig.Results().Len() != 1 {
			return nil
		}
		iface, _ := sig.Results().At(0).Type().Underlying().(*types.Interface)
		return iface
	}
	return nil
}

func contextInterface(pkg *types.Package) *types.Interface {
	obj := pkg.Scope().Lookup("Context")
	if obj == nil {
		return nil
	}
	iface, _ := obj.Type().Underlying().(*types.Interface)
	return iface
}

// checkRoot decides whether the Background()/TODO() call breaks a chain.
func (c *checker) checkRoot(fn *ssa.Function, call *ssa.Call) {
	if c.isTestFile(call.Pos()) || c.inTest(fn) || isMainOrInit(fn) || isTestPackage(c.Pass.Pkg) {
		return
	}
	f := c.follow(call)
	if f.fallback || c.nilGuarded(fn, call) {
		return
	}
	if f.copied != nil {
		c.reportCopy(fn, call, f.copied)
		return
	}
	work := f.work
	if work == nil {
		// A call whose results are only kept is no work now, but it is
		// when it retries a call that failed.
		if f.keptBy == nil {
			return
		}
		work = f.keptBy
	}
	sc := c.scopeOf(fn)
	if sc == nil {
		return
	}
	if c.afterCancel(fn, sc.owner, call) {
		if failed := c.retried(fn, sc.owner, call, work); failed != nil {
			c.reportRetry(fn, call, sc, work, failed)
		}
		return
	}
	if f.work == nil {
		return
	}
	c.reportBreak(fn, call, sc)
}

// reportBreak reports rule 1: work rooted in a fresh context.
func (c *checker) reportBreak(fn *ssa.Function, call *ssa.Call, sc *scope) {
	span := c.Src.CallRange(call.Pos())
	what := c.Src.Func(call.Pos(), "context.Background") + "()"
	expr, ok := c.ctxExpr(sc.src, call.Pos())
	clause := report.Msgf("%s in %s", what, c.Src.FuncName(fn))
	opts := []report.Option{report.RelatedClause(clause)}
	for f := fn; f != nil && f != sc.owner; f = f.Parent() {
		if sites := c.joins[f]; len(sites) > 0 {
			// Say why a goroutine is not detached work.
			opts = append(opts, report.Related(sites[0].Pos(), "the goroutine started here is waited for before the function returns: it is the function's work"))
			break
		}
	}
	if ok && span.Stop.IsValid() {
		opts = append(opts, report.Fixes(analysis.SuggestedFix{
			Message:   "pass " + expr,
			TextEdits: []analysis.TextEdit{{Pos: span.Start, End: span.Stop, NewText: []byte(expr)}},
		}))
	}
	c.Report.Report(span,
		report.Msgf("%s, which has %s: the work it roots ignores the caller's cancellation and deadline, and its trace spans are orphaned; pass %s, or context.WithoutCancel(%s) with a timeout of its own if the work must outlive it",
			clause, expr, expr, expr),
		opts...)
}

// reportCopy reports rule 2: values of a context copied into a fresh root.
func (c *checker) reportCopy(fn *ssa.Function, call *ssa.Call, src *source) {
	span := c.Src.CallRange(call.Pos())
	what := c.Src.Func(call.Pos(), "context.Background")
	expr, ok := c.ctxExpr(src, call.Pos())
	qual := "context."
	if i := strings.LastIndex(what, "."); i >= 0 {
		qual = what[:i+1]
	} else {
		qual = "" // dot import
	}
	detach := qual + "WithoutCancel(" + expr + ")"
	clause := report.Msgf("%s() in %s gets values copied from %s", what, c.Src.FuncName(fn), expr)
	opts := []report.Option{report.RelatedClause(clause)}
	if ok && span.Stop.IsValid() && c.allowsWithoutCancel(call.Pos()) {
		opts = append(opts, report.Fixes(analysis.SuggestedFix{
			Message:   "use " + detach,
			TextEdits: []analysis.TextEdit{{Pos: span.Start, End: span.Stop, NewText: []byte(detach)}},
		}))
	}
	c.Report.Report(span,
		report.Msgf("%s: the copy drops the cancellation and deadline of %s whether or not that was meant, and every value not copied, trace spans included; use %s to detach with every value, or %s itself to keep the cancellation",
			clause, expr, "context.WithoutCancel("+expr+")", expr),
		opts...)
}

// allowsWithoutCancel reports whether the file at pos may use
// context.WithoutCancel (Go 1.21).
func (c *checker) allowsWithoutCancel(pos token.Pos) bool {
	return apis.AllowsWithoutCancel(c.Pass, pos)
}

// ctxExpr returns the source expression naming src ("ctx", "r.Context()")
// and whether it denotes src at pos (it is not shadowed there).
func (c *checker) ctxExpr(src *source, pos token.Pos) (string, bool) {
	name := src.param.Name()
	expr := name
	if src.method {
		expr = name + ".Context()"
	}
	obj, _ := src.param.Object().(*types.Var)
	if obj == nil {
		return expr, false
	}
	inner := c.Pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return expr, false
	}
	_, found := inner.LookupParent(name, pos)
	return expr, found == obj
}

// isTestPackage reports whether pkg is a test-support package by Go's
// naming conventions: testutil, testutils, testenv, testhelpers; and
// httptest, fstest, grpctest, whose name ends in "test" and which import
// testing or are the standard library's. Their fakes and helpers serve
// tests, like _test.go files. A package that merely ends in the letters
// (latest, contest) is not one.
func isTestPackage(pkg *types.Package) bool {
	name := pkg.Name()
	if strings.HasPrefix(name, "test") {
		return true
	}
	if !strings.HasSuffix(name, "test") {
		return false
	}
	if apis.IsStdPath(pkg.Path()) {
		return true
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == "testing" {
			return true
		}
	}
	return false
}

func (c *checker) isTestFile(pos token.Pos) bool {
	f := c.Pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// inTest reports whether fn, or a function it is nested in, takes a
// *testing.T, *testing.B, *testing.F or testing.TB.
func (c *checker) inTest(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		sig := fn.Signature
		for i := 0; i < sig.Params().Len(); i++ {
			t := sig.Params().At(i).Type()
			if apis.IsNamed(t, "testing", "T") || apis.IsNamed(t, "testing", "B") ||
				apis.IsNamed(t, "testing", "F") || apis.IsNamed(t, "testing", "TB") {
				return true
			}
		}
	}
	return false
}

func isMainOrInit(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil || fn.Pkg == nil {
		return false
	}
	name := fn.Name()
	if name == "init" || strings.HasPrefix(name, "init#") {
		return true
	}
	return name == "main" && fn.Pkg.Pkg.Name() == "main"
}
