// Package lazyssa builds the SSA form of a package once for all lifeguard
// analyzers, only when the package uses an API some analyzer watches, and
// frees it when the last of them is done with it.
//
// Most packages never start a process or take a pipe; for them this costs a
// scan of the type checker's Uses map instead of an SSA build. In the
// packages that do, only the functions some analyzer is interested in, and
// what they call in their package, are built (Interest.Func); standard
// library packages that are not being reported on are not built at all
// (config.IsRoot). And because
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
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/config"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/slots"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suppress"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/trim"
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
// Consume, built by the first of them to Take it.
type Result struct {
	// pass is lazyssa's own pass over the package (a copy), what the
	// build needs: files, types, the file set.
	pass     analysis.Pass
	wantFunc func(*ast.FuncDecl) bool // nil: every function
	decls    trim.Decls               // during the build, for wantFunc

	once  sync.Once
	mu    sync.Mutex
	ssa   *buildssa.SSA
	graph *cfgpath.Graph
	err   error

	pending atomic.Int32
	// wanted holds the consumers whose interest matched.
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
	// DeclFunc is Func for an analyzer that needs to look into what a
	// declaration calls in its package to decide: decls gives the
	// declarations of the package's functions. Set Func or DeclFunc.
	DeclFunc func(info *types.Info, decls Decls, decl *ast.FuncDecl) bool
	// SkipTests says that the analyzer reports nothing in _test.go files
	// and needs nothing from them: Func is not asked about their
	// declarations (what they call outside tests is still built).
	SkipTests bool
}

// Decls are the function declarations with bodies of a package, by their
// objects.
type Decls = trim.Decls

var (
	interestsMu sync.Mutex
	interests   = map[*analysis.Analyzer]Interest{} // of every consumer
)

// Consume registers a as a user of the SSA result, with what it needs of
// each package, and makes it one of lifeguard's analyzers: it requires the
// SSA and the suppression directives, and its result is the *report.Result
// that Run returns. Call it from the analyzer package's init.
func Consume(a *analysis.Analyzer, in Interest) {
	interestsMu.Lock()
	defer interestsMu.Unlock()
	interests[a] = in
	a.Requires = append(a.Requires, Analyzer, suppress.Analyzer)
	a.ResultType = reflect.TypeFor[*report.Result]()
}

// runningInterests returns the interests of the consumers the driver runs
// (config.Runs): the SSA is built for what they need, and freed once they
// are done with it. A consumer that does not run would keep it alive.
func runningInterests() map[*analysis.Analyzer]Interest {
	interestsMu.Lock()
	defer interestsMu.Unlock()
	m := make(map[*analysis.Analyzer]Interest, len(interests))
	for a, in := range interests {
		if config.Runs(a) {
			m[a] = in
		}
	}
	return m
}

// factsOnlyStd reports whether pass is a standard-library package that is
// not a root (config.IsRoot): no SSA is built for it. Packages that are not
// roots are analyzed only for the facts they export to their
// importers, and for the standard library those facts are built in
// (facts.stdFacts). This matters twice over. A module's run would otherwise
// build SSA for os, os/exec, net/http and testing, which use the watched
// APIs themselves; and with tests, the go command makes a variant of every
// package between a package under test and testing ("testing [os.test]"),
// each identical in source to the root it copies, none of them reported.
func factsOnlyStd(pass *analysis.Pass) bool {
	return !config.IsRoot(pass.Pkg) && apis.IsStdlib(pass)
}

// run decides which consumers want the package, and what of it. It builds
// nothing: the checker starts every action whose prerequisites are done at
// once, and lazyssa has none, so SSA built here would be built for every
// package at the start of the run and kept until its consumers' turn came,
// after the analysis of everything the package imports.
func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: *pass, wanted: map[*analysis.Analyzer]bool{}}
	if factsOnlyStd(pass) {
		return res, nil
	}
	var interested []Interest
	everyFunc := false
	for a, in := range runningInterests() {
		if in.Package(pass.TypesInfo, pass.Pkg.Imports()) {
			res.wanted[a] = true
			if in.Func == nil && in.DeclFunc == nil {
				everyFunc = true
			}
			interested = append(interested, in)
		}
	}
	// Only the consumers that want this package take its SSA; the last of
	// them to finish frees it.
	res.pending.Store(int32(len(res.wanted)))
	if !everyFunc {
		info, fset := pass.TypesInfo, pass.Fset
		res.wantFunc = func(decl *ast.FuncDecl) bool {
			inTest := false
			if f := fset.File(decl.Pos()); f != nil {
				inTest = strings.HasSuffix(f.Name(), "_test.go")
			}
			for _, in := range interested {
				if inTest && in.SkipTests {
					continue
				}
				if in.DeclFunc != nil {
					if in.DeclFunc(info, res.decls, decl) {
						return true
					}
				} else if in.Func(info, decl) {
					return true
				}
			}
			return false
		}
	}
	return res, nil
}

// build builds the SSA of the functions the consumers want.
func (res *Result) build() {
	defer panicerr.Catch(&res.err, "building SSA for "+res.pass.Pkg.Path())()
	files, info := res.pass.Files, res.pass.TypesInfo
	if res.wantFunc != nil {
		info = withClosureInits(info)
		// The function literals of the package-level initializers that
		// are kept are built, so what they call is kept too.
		var inits []ast.Node
		for _, init := range info.InitOrder {
			inits = append(inits, init.Rhs)
		}
		// The consumers' DeclFunc and the trimming share one index of
		// the declarations, made for the build and dropped after it.
		res.decls = trim.FuncDecls(files, res.pass.TypesInfo)
		files = trim.Bodies(&res.pass, res.decls, res.wantFunc, true, inits...)
		res.decls = nil
	}
	res.ssa = buildSSA(res.pass.Fset, res.pass.Pkg, files, info)
	res.graph = cfgpath.NewGraph(res.ssa.SrcFuncs)
}

// buildSSA does what buildssa does, for less. buildssa creates an SSA
// package for every import, a member for each of their functions, methods,
// variables and constants, because the package initializer calls every
// import's init; it needs ctrlflow's result, for which ctrlflow builds a
// control-flow graph of every function of every package. Here the
// initializer is bare (ssa.BareInits: it calls no other package's init),
// so only the imports the built code refers to are created; and the calls
// that never return are learnt from the SSA itself (cfgpath.Graph).
func buildSSA(fset *token.FileSet, pkg *types.Package, files []*ast.File, info *types.Info) *buildssa.SSA {
	prog := ssa.NewProgram(fset, ssa.BareInits)
	// A reference to another package's function or variable needs that
	// package created; constants, types and methods do not (methods are
	// made on demand).
	referenced := map[*types.Package]bool{}
	visit := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			switch obj := info.Uses[id].(type) {
			case *types.Func:
				if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Recv() == nil && obj.Pkg() != pkg {
					referenced[obj.Pkg()] = true
				}
			case *types.Var:
				if obj.Pkg() != nil && obj.Pkg() != pkg && obj.Parent() == obj.Pkg().Scope() {
					referenced[obj.Pkg()] = true
				}
			}
			return true
		})
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil {
				visit(fd.Body)
			}
		}
	}
	for _, init := range info.InitOrder {
		visit(init.Rhs)
	}
	for _, imp := range pkg.Imports() {
		if referenced[imp] {
			prog.CreatePackage(imp, nil, nil, true)
		}
	}
	ssapkg := prog.CreatePackage(pkg, files, info, false)
	ssapkg.Build()

	// The source functions, literals included, in source order.
	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok {
				if obj, ok := info.Defs[decl.Name].(*types.Func); ok {
					if fn := prog.FuncValue(obj); fn != nil {
						add(fn)
					}
				}
			}
		}
	}
	// And, unlike buildssa, the function literals of package-level
	// variable initializers (var handler = func(w, r) {...}), which belong
	// to the package initializer.
	if init := ssapkg.Func("init"); init != nil {
		for _, anon := range init.AnonFuncs {
			add(anon)
		}
	}
	return &buildssa.SSA{Pkg: ssapkg, SrcFuncs: funcs}
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
		if apis.AnyNode(init.Rhs, func(n ast.Node) bool { _, ok := n.(*ast.FuncLit); return ok }) {
			copied.InitOrder = append(copied.InitOrder, init)
		}
	}
	return &copied
}

// Take returns the package's SSA functions (its declared functions, the
// function literals in them and those of its package-level variable
// initializers) and path graph, building them
// if this is the first consumer to ask, or nil when the package uses none of
// the APIs pass.Analyzer watches; and a release function the analyzer must
// call when it no longer needs them. Between Take and release the consumer
// holds one of the GOMAXPROCS slots (package slots), so that no more SSA
// forms are alive at once than there are processors to work on them. A failure to
// build the SSA panics with the error; consumers turn panics into errors.
func Take(pass *analysis.Pass) (funcs []*ssa.Function, graph *cfgpath.Graph, release func()) {
	res, _ := pass.ResultOf[Analyzer].(*Result)
	if res == nil || !res.wanted[pass.Analyzer] {
		return nil, nil, func() {}
	}
	free := slots.Acquire()
	var once sync.Once
	release = func() {
		once.Do(func() {
			if res.pending.Add(-1) <= 0 {
				res.mu.Lock()
				res.ssa, res.graph = nil, nil
				res.mu.Unlock()
			}
			free()
		})
	}
	res.once.Do(res.build)
	if res.err != nil {
		release()
		panic(res.err)
	}
	res.mu.Lock()
	if res.ssa != nil {
		funcs, graph = res.ssa.SrcFuncs, res.graph
	}
	res.mu.Unlock()
	return funcs, graph, release
}

// A Package is what a consumer's check gets from Run: the pass, the
// reporter its findings go through, the package's SSA.
type Package struct {
	Pass   *analysis.Pass
	Report *report.Reporter // honours //lifeguard:ignore and //nolint
	Src    *report.Source
	Funcs  []*ssa.Function // as Take returns them
	Graph  *cfgpath.Graph
	SSA    *ssa.Package
}

// Run is a consumer's Run: it takes the package's SSA, calls check with it
// unless the package has nothing the analyzer watches, releases the SSA,
// reports the suppression directives that are malformed or unused, and
// turns a panic in check into an error for this package. Its result is the
// details of the findings (report.Result).
func Run(pass *analysis.Pass, check func(*Package) error) (result any, err error) {
	src := report.NewSource(pass)
	rep := report.NewReporter(pass, src)
	defer panicerr.Catch(&err, pass.Analyzer.Name+" in "+pass.Pkg.Path())()
	defer func() { result = rep.Finish() }()
	funcs, graph, release := Take(pass)
	defer release()
	if funcs == nil {
		return nil, nil
	}
	p := &Package{Pass: pass, Report: rep, Src: src, Funcs: funcs, Graph: graph}
	res, _ := pass.ResultOf[Analyzer].(*Result)
	res.mu.Lock()
	if res.ssa != nil {
		p.SSA = res.ssa.Pkg
	}
	res.mu.Unlock()
	return nil, check(p)
}
