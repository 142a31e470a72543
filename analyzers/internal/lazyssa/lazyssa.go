// Package lazyssa builds the SSA form of a package once for all lifeguard
// analyzers, only when the package uses an API some analyzer watches, and
// frees it when the last of them is done with it.
//
// Most packages never start a process or take a pipe; for them this costs a
// scan of the type checker's Uses map instead of an SSA build. In the
// packages that do, only the functions some analyzer is interested in, and
// what they call in their package, are built (Interest.Func); standard
// library packages that are not being reported on are not built at all
// (SetRoots). And because
// the analysis checker keeps every action's result until the whole run ends,
// an SSA form that nobody frees would stay in memory for every package of
// the program; the analyzers release it instead.
//
// The SSA comes from buildssa's own builder. buildssa normally requires
// ctrlflow, which builds an AST control-flow graph (and an inspector) for
// every function of every package to learn which calls never return, and
// keeps them all in memory for the run. lifeguard instead gives buildssa an
// empty ctrlflow result and learns never-returning calls from the SSA
// itself (cfgpath.Graph): the standard exits, Fatal* loggers, t.FailNow and
// the package's own functions that cannot return.
package lazyssa

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
)

// Analyzer's result is a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "lifeguardssa",
	Doc:        "build SSA (with buildssa's builder) for packages that use APIs lifeguard watches",
	URL:        "https://github.com/lifeguard-go/lifeguard",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// Result is one package's SSA, shared by the analyzers that registered with
// Consume.
type Result struct {
	mu      sync.Mutex
	ssa     *buildssa.SSA
	graph   *cfgpath.Graph
	pending atomic.Int32
	// wanted holds the consumers whose watch predicate matched.
	wanted map[*analysis.Analyzer]bool
}

// Interest says what of a package an analyzer needs in SSA form.
type Interest struct {
	// Package decides from a package's type information whether the
	// analyzer has anything to look at in it. It must be cheap: it runs
	// on every package.
	Package func(info *types.Info, imports []*types.Package) bool
	// Func decides whether a function declaration of such a package is
	// one the analyzer checks or summarizes in facts. Everything it
	// refers to in its own package is built too (the helpers it calls,
	// the functions it starts), so that facts and never-returning calls
	// stay exact. Nil means every function.
	Func func(info *types.Info, decl *ast.FuncDecl) bool
}

var (
	consumersMu sync.Mutex
	consumers   = map[*analysis.Analyzer]bool{} // registered -> running
	interests   = map[*analysis.Analyzer]Interest{}
)

// Consume registers a as a user of the SSA result, with what it needs of
// each package. Call it from the analyzer package's init.
func Consume(a *analysis.Analyzer, in Interest) {
	consumersMu.Lock()
	defer consumersMu.Unlock()
	consumers[a] = true
	interests[a] = in
	a.Requires = append(a.Requires, Analyzer)
}

// Running tells lazyssa which analyzers a driver will run, so that the SSA
// is freed once those of them that consume it are done. Without it lazyssa
// waits for every registered consumer, and a disabled one keeps the SSA
// alive (memory only, never a wrong result).
func Running(analyzers []*analysis.Analyzer) {
	consumersMu.Lock()
	defer consumersMu.Unlock()
	for a := range consumers {
		consumers[a] = false
	}
	for _, a := range analyzers {
		if _, ok := consumers[a]; ok {
			consumers[a] = true
		}
	}
}

// runningInterests returns the interests of the consumers that run.
func runningInterests() map[*analysis.Analyzer]Interest {
	consumersMu.Lock()
	defer consumersMu.Unlock()
	m := make(map[*analysis.Analyzer]Interest, len(consumers))
	for a, on := range consumers {
		if on {
			m[a] = interests[a]
		}
	}
	return m
}

var (
	rootsMu sync.Mutex
	isRoot  func(*types.Package) bool // nil: every package is a root
)

// SetRoots tells lazyssa which packages the driver reports findings for.
// The others are analyzed only for the facts they export to their
// importers, and for the standard library those facts are built in
// (facts.stdFacts): so no SSA is built for a standard-library package that
// is not a root. This matters twice over. A module's run would otherwise
// build SSA for os, os/exec, net/http and testing, which use the watched
// APIs themselves; and with tests, the go command makes a variant of every
// package between a package under test and testing ("testing [os.test]"),
// each identical in source to the root it copies, none of them reported.
// Drivers that cannot tell (the golangci-lint plugin, analysistest) leave it
// unset, and every package is analyzed.
func SetRoots(roots func(*types.Package) bool) {
	rootsMu.Lock()
	defer rootsMu.Unlock()
	isRoot = roots
}

// factsOnlyStd reports whether pass is a standard-library package that is
// not a root.
func factsOnlyStd(pass *analysis.Pass) bool {
	rootsMu.Lock()
	roots := isRoot
	rootsMu.Unlock()
	if roots == nil || roots(pass.Pkg) {
		return false
	}
	return apis.IsStdlib(pass)
}

func run(pass *analysis.Pass) (result any, err error) {
	res := &Result{wanted: map[*analysis.Analyzer]bool{}}
	if factsOnlyStd(pass) {
		return res, nil
	}
	var wantFunc []func(*types.Info, *ast.FuncDecl) bool
	everyFunc := false
	for a, in := range runningInterests() {
		if in.Package(pass.TypesInfo, pass.Pkg.Imports()) {
			res.wanted[a] = true
			if in.Func == nil {
				everyFunc = true
			}
			wantFunc = append(wantFunc, in.Func)
		}
	}
	// Only the consumers that want this package take its SSA; the last of
	// them to finish frees it.
	res.pending.Store(int32(len(res.wanted)))
	if len(res.wanted) == 0 {
		return res, nil
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = res, fmt.Errorf("building SSA for %s: internal error: %v", pass.Pkg.Path(), r)
		}
	}()
	trimmed := *pass
	trimmed.ResultOf = map[*analysis.Analyzer]any{ctrlflow.Analyzer: new(ctrlflow.CFGs)}
	if !everyFunc {
		trimmed.Files = withBodiesOf(pass, func(decl *ast.FuncDecl) bool {
			for _, f := range wantFunc {
				if f(pass.TypesInfo, decl) {
					return true
				}
			}
			return false
		})
		trimmed.TypesInfo = withClosureInits(pass.TypesInfo)
	}
	built, err := buildssa.Analyzer.Run(&trimmed)
	if err != nil {
		return res, err
	}
	res.ssa = built.(*buildssa.SSA)
	res.graph = cfgpath.NewGraph(res.ssa.SrcFuncs)
	return res, nil
}

// withClosureInits returns a copy of info whose package initialization
// keeps only the variable initializers that contain a function literal
// (var handler = func(...) {...}): go/ssa builds the init function from
// InitOrder, and the others (lookup tables, regexps, errors) are what no
// analyzer looks at, and in some packages most of the SSA.
func withClosureInits(info *types.Info) *types.Info {
	copied := *info
	copied.InitOrder = nil
	for _, init := range info.InitOrder {
		hasFuncLit := false
		ast.Inspect(init.Rhs, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				hasFuncLit = true
			}
			return !hasFuncLit
		})
		if hasFuncLit {
			copied.InitOrder = append(copied.InitOrder, init)
		}
	}
	return &copied
}

// withBodiesOf returns pass's files with the body of every function
// declaration dropped but those wanted reports true for and those they refer
// to in this package, transitively. go/ssa builds a declaration without a
// body as an external function: nothing, at no cost. In a package of a
// hundred files that runs one command, that is one function built instead of
// thousands. The files are shallow copies; pass's own are not changed.
func withBodiesOf(pass *analysis.Pass, wanted func(*ast.FuncDecl) bool) []*ast.File {
	decls := map[*types.Func]*ast.FuncDecl{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[obj] = fd
				}
			}
		}
	}
	keep := map[*ast.FuncDecl]bool{}
	var queue []*ast.FuncDecl
	for _, fd := range decls {
		if wanted(fd) {
			keep[fd] = true
			queue = append(queue, fd)
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
			if callee := decls[obj.Origin()]; callee != nil && !keep[callee] {
				keep[callee] = true
				queue = append(queue, callee)
			}
			return true
		})
	}
	// The function literals of package-level initializers are built
	// (withClosureInits), so what they call is kept too.
	for _, init := range withClosureInits(pass.TypesInfo).InitOrder {
		refs(init.Rhs)
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
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && !keep[fd] {
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

// Take returns the package's SSA functions and path graph, or nil when the
// package uses none of the APIs pass.Analyzer watches, and a release
// function the analyzer must call when it no longer needs them.
func Take(pass *analysis.Pass) (funcs []*ssa.Function, graph *cfgpath.Graph, release func()) {
	res, _ := pass.ResultOf[Analyzer].(*Result)
	if res == nil || !res.wanted[pass.Analyzer] {
		return nil, nil, func() {}
	}
	res.mu.Lock()
	if res.ssa != nil {
		funcs, graph = res.ssa.SrcFuncs, res.graph
	}
	res.mu.Unlock()
	var once sync.Once
	return funcs, graph, func() {
		once.Do(func() {
			if res.pending.Add(-1) <= 0 {
				res.mu.Lock()
				res.ssa, res.graph = nil, nil
				res.mu.Unlock()
			}
		})
	}
}
