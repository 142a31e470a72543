// Package bundle runs the go vet analyzers lifeguard bundles (lostcancel,
// httpresponse, sigchanyzer) on one shared inspector and control-flow
// graph per package, and drops both when the package is done.
//
// Run as they are, each requires go/analysis's inspect pass, and lostcancel
// its ctrlflow pass; and go/analysis's checker keeps the result of every
// action until the run ends ("TODO: clear them earlier"), that is an
// inspector and a control-flow graph of every function of every package,
// dependencies included: on std cmd/... more memory than all of lifeguard's
// own analysis. Here one analyzer, Analyzer, builds them once per package,
// runs the bundled analyzers' Run functions on them, and keeps only their
// diagnostics; each analyzer the user sees (Wrap) reports those under its
// own name, with lifeguard's suppression directives.
package bundle

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/config"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/slots"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suppress"
)

// Analyzer does the bundled analyzers' work. It exports ctrlflow's
// "never returns" facts, so it runs on every package; the bundled analyzers
// themselves run only on roots (config.IsRoot).
var Analyzer = &analysis.Analyzer{
	Name:       "lifeguardvet",
	Doc:        "run the go vet analyzers lifeguard bundles on one shared inspector and control-flow graph",
	URL:        "https://github.com/lifeguard-go/lifeguard",
	Run:        run,
	FactTypes:  []analysis.Fact{new(noReturn)},
	ResultType: reflect.TypeFor[*Result](),
}

// Result holds what each bundled analyzer did on the package.
type Result struct {
	byAnalyzer map[*analysis.Analyzer]*outcome
}

type outcome struct {
	diagnostics []analysis.Diagnostic
	result      any
	err         error
}

// noReturn is ctrlflow's fact ("this function never returns") under a type
// of lifeguard's own: a fact type may belong to one analyzer only, and
// ctrlflow itself is in the graph when staticcheck's checks run.
type noReturn struct{}

func (*noReturn) AFact()         {}
func (*noReturn) String() string { return "noReturn" }

var ctrlflowFact = reflect.TypeOf(ctrlflow.Analyzer.FactTypes[0])

var (
	mu      sync.Mutex
	wrapped = map[*analysis.Analyzer]*bundled{} // by wrapper
)

// Wrap returns the analyzer that stands for the bundled analyzer a: its
// name, documentation, URL and flags, requiring Analyzer and reporting what
// a reported there. a may require only inspect and ctrlflow, and must
// declare no facts. a is run only on packages that import gate: each of the
// bundled analyzers returns at once in a package that does not (their own
// fast path), and the bundle checks it before building anything for them.
func Wrap(a *analysis.Analyzer, gate string) *analysis.Analyzer {
	if len(a.FactTypes) > 0 {
		panic("bundle: " + a.Name + " declares facts")
	}
	b := &bundled{analyzer: a, gate: gate}
	for _, req := range a.Requires {
		switch req {
		case inspect.Analyzer:
		case ctrlflow.Analyzer:
			b.cfg = true
		default:
			panic("bundle: " + a.Name + " requires " + req.Name)
		}
	}
	w := &analysis.Analyzer{
		Name:             a.Name,
		Doc:              a.Doc,
		URL:              a.URL,
		Flags:            a.Flags,
		Requires:         []*analysis.Analyzer{Analyzer, suppress.Analyzer},
		ResultType:       a.ResultType,
		RunDespiteErrors: a.RunDespiteErrors,
	}
	w.Run = func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[Analyzer].(*Result)
		out := res.byAnalyzer[a]
		if out == nil {
			return nil, fmt.Errorf("internal error: %s did not run on %s", a.Name, pass.Pkg.Path())
		}
		f := suppress.NewFilter(pass)
		for _, d := range out.diagnostics {
			f.Report(d)
		}
		f.Finish()
		return out.result, out.err
	}
	mu.Lock()
	wrapped[w] = b
	mu.Unlock()
	return w
}

// A bundled analyzer, with what it needs.
type bundled struct {
	analyzer *analysis.Analyzer
	gate     string // import path without which it does nothing
	cfg      bool   // requires ctrlflow
}

// toRun returns the bundled analyzers whose wrappers the driver runs
// (config.Runs): only their work is done.
func toRun() []*bundled {
	mu.Lock()
	defer mu.Unlock()
	var list []*bundled
	for w, b := range wrapped {
		if config.Runs(w) {
			list = append(list, b)
		}
	}
	return list
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{byAnalyzer: map[*analysis.Analyzer]*outcome{}}
	all := toRun()
	needCFG := false
	var here []*bundled // the analyzers that do something in this package
	for _, b := range all {
		needCFG = needCFG || b.cfg
		if config.IsRoot(pass.Pkg) && imports(pass.Pkg, b.gate) {
			here = append(here, b)
		} else {
			// Nothing to do: it reports nothing, as it would itself.
			res.byAnalyzer[b.analyzer] = &outcome{}
		}
	}
	if !needCFG && len(here) == 0 {
		return res, nil
	}
	defer slots.Acquire()()

	inner := *pass
	inner.ResultOf = map[*analysis.Analyzer]any{}
	if needCFG {
		// ctrlflow runs on every package, for its facts: which functions
		// never return, which lostcancel needs for every package a root
		// imports. It is given only the functions that can matter: those
		// that might never return, and those lostcancel checks here.
		checked := func(ast.Node) bool { return false }
		for _, b := range here {
			if b.cfg {
				checked = func(n ast.Node) bool { return makesCancel(pass.TypesInfo, n) }
			}
		}
		cfgs, err := controlFlow(&inner, checked)
		if err != nil {
			return nil, fmt.Errorf("ctrlflow: %v", err)
		}
		inner.ResultOf[ctrlflow.Analyzer] = cfgs
	}
	if len(here) == 0 {
		return res, nil
	}
	inner.ResultOf[inspect.Analyzer] = inspector.New(pass.Files)
	for _, b := range here {
		out := &outcome{}
		res.byAnalyzer[b.analyzer] = out
		p := inner
		p.Analyzer = b.analyzer
		p.Report = func(d analysis.Diagnostic) { out.diagnostics = append(out.diagnostics, d) }
		p.ExportObjectFact = nil
		p.ExportPackageFact = nil
		out.result, out.err = runGuarded(b.analyzer, &p)
	}
	return res, nil
}

func imports(pkg *types.Package, path string) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return true
		}
	}
	return false
}

// makesCancel reports whether the declaration calls a context function that
// returns a cancel function: what lostcancel checks.
func makesCancel(info *types.Info, decl ast.Node) bool {
	return apis.UsesFunc(info, decl, func(fn *types.Func) bool { return apis.IsCancelling(apis.ContextFunc(fn)) })
}

// controlFlow runs ctrlflow on the functions that can matter: those checked
// wants, and those that might never return, which ctrlflow exports facts
// for. Shown every function, ctrlflow builds a control-flow graph of every
// function of every package to find the few that never return.
//
// A function can only never return if some statement at the top of its body
// never completes (diverges), and the divergent statements can be told from
// the syntax: a call of panic, of a function known never to return (by a
// fact from another package, by ctrlflow's list of intrinsics, or,
// transitively, a candidate of this package); a for without a condition,
// return or break; an empty select; a goto; an if with an else, or a switch
// or select with a default, whose every branch diverges. Every other function
// returns on some path, and ctrlflow, shown it without its body, takes it as
// returning: the same answer at a fraction of the cost. The test
// over-approximates: ctrlflow still decides each candidate exactly.
func controlFlow(pass *analysis.Pass, checked func(ast.Node) bool) (any, error) {
	declOf := map[*types.Func]*ast.FuncDecl{}
	var decls []*ast.FuncDecl
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				decls = append(decls, fd)
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					declOf[fn] = fd
				}
			}
		}
	}
	// First, every function without its body: ctrlflow exports facts for
	// its intrinsics (runtime.fatalthrow, syscall.Exit, zap's Fatal...).
	var stubs []*ast.File
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				// ctrlflow needs the name (for its object) and a body
				// or none; the rest would only cost inspector events.
				at := fd.Type.Func
				stub := &ast.FuncDecl{Name: fd.Name, Type: &ast.FuncType{Func: at, Params: &ast.FieldList{Opening: at, Closing: at}}}
				if fd.Body != nil {
					stub.Body = &ast.BlockStmt{Lbrace: fd.Body.Lbrace, Rbrace: fd.Body.Lbrace}
				}
				stubs = append(stubs, fileOf(f, stub))
			}
		}
	}
	intrinsic := map[*types.Func]bool{}
	if _, err := ctrlflow.Analyzer.Run(ctrlflowPass(pass, stubs, func(fn types.Object) {
		if fn, ok := fn.(*types.Func); ok {
			intrinsic[fn] = true
		}
	})); err != nil {
		return nil, err
	}

	candidate := map[*ast.FuncDecl]bool{}
	d := divergence{pass: pass, declOf: declOf, candidate: candidate, intrinsic: intrinsic}
	for changed := true; changed; {
		changed = false
		for _, fd := range decls {
			if fd.Body != nil && !candidate[fd] && d.list(fd.Body.List) {
				candidate[fd] = true
				changed = true
			}
		}
	}
	// One small file per declaration kept: ctrlflow finds functions with
	// an inspector, which sizes itself by the extent of its files.
	var files []*ast.File
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if candidate[decl] || decl.Body != nil && checked(decl) {
					files = append(files, fileOf(f, decl))
				}
			case *ast.GenDecl:
				// var f = func() {...}: lostcancel checks literals too.
				if checked(decl) {
					files = append(files, fileOf(f, decl))
				}
			}
		}
	}
	return ctrlflow.Analyzer.Run(ctrlflowPass(pass, files, nil))
}

// divergence tells statements that never complete from the syntax.
type divergence struct {
	pass      *analysis.Pass
	declOf    map[*types.Func]*ast.FuncDecl
	candidate map[*ast.FuncDecl]bool
	intrinsic map[*types.Func]bool
}

// list reports whether a statement list diverges: one of its statements
// does, and none before it can return.
func (d divergence) list(stmts []ast.Stmt) bool {
	for _, s := range stmts {
		if d.stmt(s, "") {
			return true
		}
		if contains(s, func(n ast.Node) bool { _, ok := n.(*ast.ReturnStmt); return ok }) {
			return false
		}
	}
	return false
}

// stmt reports whether s diverges; label is the label of s, if any.
func (d divergence) stmt(s ast.Stmt, label string) bool {
	switch s := s.(type) {
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		return ok && d.call(call)
	case *ast.ForStmt:
		// for { ... } with no return in it and no break out of it.
		return s.Cond == nil && !contains(s.Body, func(n ast.Node) bool {
			_, ok := n.(*ast.ReturnStmt)
			return ok
		}) && !breaksOut(s.Body, label)
	case *ast.SelectStmt:
		if len(s.Body.List) == 0 {
			return true
		}
		return d.clauses(s.Body.List, true)
	case *ast.BranchStmt:
		return s.Tok == token.GOTO
	case *ast.BlockStmt:
		return d.list(s.List)
	case *ast.LabeledStmt:
		return d.stmt(s.Stmt, s.Label.Name)
	case *ast.IfStmt:
		return s.Else != nil && d.list(s.Body.List) && d.stmt(s.Else, "")
	case *ast.SwitchStmt:
		return d.clauses(s.Body.List, false)
	case *ast.TypeSwitchStmt:
		return d.clauses(s.Body.List, false)
	}
	return false
}

// clauses reports whether a switch or select with these clauses diverges:
// it has a default (a select need not) and every clause diverges.
func (d divergence) clauses(clauses []ast.Stmt, isSelect bool) bool {
	hasDefault := isSelect
	for _, c := range clauses {
		var body []ast.Stmt
		switch c := c.(type) {
		case *ast.CaseClause:
			hasDefault = hasDefault || c.List == nil
			body = c.Body
		case *ast.CommClause:
			body = c.Body
		}
		if !d.list(body) {
			return false
		}
	}
	return hasDefault
}

// contains reports whether n, outside function literals, has a node for
// which is returns true.
func contains(n ast.Node, is func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if _, lit := x.(*ast.FuncLit); lit {
			return false
		}
		found = x != nil && is(x)
		return !found
	})
	return found
}

// breaksOut reports whether body, the body of a loop labelled label (or
// ""), has a break that leaves the loop: an unlabelled one outside nested
// loops, switches and selects, or one naming label.
func breaksOut(body *ast.BlockStmt, label string) bool {
	var walk func(n ast.Node, nested bool) bool
	walk = func(n ast.Node, nested bool) bool {
		found := false
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil || x == n {
				return !found
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				found = walk(x, true)
				return false
			case *ast.BranchStmt:
				if x.Tok == token.BREAK && (x.Label == nil && !nested || x.Label != nil && x.Label.Name == label) {
					found = true
				}
			}
			return !found
		})
		return found
	}
	return walk(body, false)
}

func (d divergence) call(call *ast.CallExpr) bool {
	switch callee := typeutil.Callee(d.pass.TypesInfo, call).(type) {
	case *types.Builtin:
		return callee.Name() == "panic"
	case *types.Func:
		callee = callee.Origin()
		if local := d.declOf[callee]; local != nil {
			return d.candidate[local] || d.intrinsic[callee]
		}
		return callee.Pkg() != d.pass.Pkg && d.pass.ImportObjectFact(callee, new(noReturn))
	}
	return false
}

// fileOf returns a file of f's package holding only d.
func fileOf(f *ast.File, d ast.Decl) *ast.File {
	return &ast.File{Package: d.Pos(), Name: f.Name, Decls: []ast.Decl{d}, FileStart: f.FileStart, FileEnd: f.FileEnd, GoVersion: f.GoVersion}
}

// runGuarded runs a bundled analyzer, turning a panic into its error.
func runGuarded(a *analysis.Analyzer, pass *analysis.Pass) (result any, err error) {
	defer panicerr.Catch(&err, a.Name)()
	return a.Run(pass)
}

// ctrlflowPass is pass as ctrlflow sees it, on files: its noReturn facts are
// stored as lifeguard's, and reported to exported, if not nil.
func ctrlflowPass(pass *analysis.Pass, files []*ast.File, exported func(types.Object)) *analysis.Pass {
	p := *pass
	p.Analyzer = ctrlflow.Analyzer
	p.Files = files
	p.ResultOf = map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(files)}
	p.ImportObjectFact = func(obj types.Object, fact analysis.Fact) bool {
		return reflect.TypeOf(fact) == ctrlflowFact && pass.ImportObjectFact(obj, new(noReturn))
	}
	p.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
		if reflect.TypeOf(fact) == ctrlflowFact {
			pass.ExportObjectFact(obj, new(noReturn))
			if exported != nil {
				exported(obj)
			}
		}
	}
	p.Report = func(analysis.Diagnostic) {}
	return &p
}
