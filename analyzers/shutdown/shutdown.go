package shutdown

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
)

var Analyzer = &analysis.Analyzer{
	Name:      "shutdown",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/shutdown.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.ShutdownFact)},
}

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{Package: wantPackage, DeclFunc: wantFunc})
}

// servers records, for the packages wantPackage accepted, whether they use
// an http.Server's Serve or Shutdown methods: only there are the exits
// and panics of other functions sinks of a Serve error (wantFunc). The
// entry is deleted when the analyzer has run on the package.
var servers sync.Map // *types.Info → bool

// wantPackage: an http.Server's Serve or Shutdown methods, signal.Notify,
// or an exit (os.Exit, a Fatal logger) with its defers.
func wantPackage(info *types.Info, imports []*types.Package) bool {
	serves, shuts, other := false, false, false
	var pkg *types.Package
	for id, obj := range info.Defs {
		if obj != nil && obj.Pkg() != nil && id.Name != "_" {
			pkg = obj.Pkg()
			break
		}
	}
	for _, obj := range info.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		switch {
		case isShutdown(fn):
			shuts = true
		case serveMethod(fn) != "":
			serves = true
		case isNotify(fn) || exitFunc(fn):
			other = true
		}
	}
	// Exits and context roots matter as Serve sinks and Shutdown contexts
	// where Shutdown is called; outside the standard library also in a
	// package that only wraps Serve, for the facts of its wrappers (the
	// standard library exports none: net/http serves, and shuts down no
	// server of its own).
	if shuts || serves && (pkg == nil || !apis.IsStdPath(pkg.Path())) {
		servers.Store(info, true)
	}
	return serves || shuts || other
}

// wantFunc: the functions that call what the rules are about. What they
// call in the package is built with them, so wrappers are seen from their
// callers.
func wantFunc(info *types.Info, decls lazyssa.Decls, decl *ast.FuncDecl) bool {
	if decl.Body == nil {
		return false
	}
	_, serves := servers.Load(info)
	hasDefer, exits, other := false, false, false
	roots, wrapperCtx, wrapperErr, localErr := false, false, false, false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			// Only a defer that may do lifecycle work matters to an
			// exit: in cmd/compile most functions that call
			// base.Fatalf defer something, none of it lifecycle work.
			hasDefer = hasDefer || mayBeLifecycle(info, decls, n.Call, 0)
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Builtin:
				if obj.Name() == "panic" {
					exits = exits || serves
				}
			case *types.Func:
				switch {
				case serveMethod(obj) != "" || isShutdown(obj) || isNotify(obj) || isSignalStop(obj):
					other = true
				case exitFunc(obj):
					exits = true
				case newRoot(obj):
					roots = true
				case obj.Pkg() == info.Defs[decl.Name].Pkg():
					localErr = localErr || returnsError(obj)
				case wrapsServer(obj):
					wrapperCtx = wrapperCtx || takesContext(obj)
					wrapperErr = wrapperErr || returnsError(obj)
				}
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && len(n.Args) == 1 {
				if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "close" && isSignalChan(info.TypeOf(n.Args[0])) {
					other = true
				}
			}
		}
		return true
	})
	// main and TestMain exit through helpers of their own (fatal(err)) more
	// than anything else does.
	entry := decl.Recv == nil && (decl.Name.Name == "main" || decl.Name.Name == "TestMain")
	switch {
	case other, hasDefer && entry:
		return true
	case exits && (hasDefer || serves || wrapperErr):
		// Defers an exit skips; Serve errors an exit gets.
		return true
	case roots && (wrapperCtx || serves):
		// A context without a deadline for a Shutdown helper.
		return true
	}
	// A wrapper of a wrapper of Serve.
	return serves && localErr && returnsError(info.Defs[decl.Name])
}

// newRoot reports whether fn makes a context with no deadline.
func newRoot(fn *types.Func) bool {
	name := apis.ContextFunc(fn)
	return apis.IsNewRoot(name) || name == "WithoutCancel"
}

// wrapsServer reports whether fn belongs to a package outside the standard
// library that imports net/http: one that may wrap an http.Server's
// Serve or Shutdown (its facts say).
func wrapsServer(fn *types.Func) bool {
	if fn.Pkg() == nil || apis.IsStdPath(fn.Pkg().Path()) {
		return false
	}
	for _, imp := range fn.Pkg().Imports() {
		if imp.Path() == "net/http" {
			return true
		}
	}
	return false
}

// takesContext reports whether one of fn's parameters is a context.
func takesContext(fn *types.Func) bool {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if apis.IsContext(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// returnsError reports whether obj is a function with an error result.
func returnsError(obj types.Object) bool {
	fn, _ := obj.(*types.Func)
	if fn == nil {
		return false
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return false
	}
	for i := 0; i < sig.Results().Len(); i++ {
		if types.Identical(sig.Results().At(i).Type(), types.Universe.Lookup("error").Type()) {
			return true
		}
	}
	return false
}

// resultType returns the type of fn's first result, or nil.
func resultType(fn *types.Func) types.Type {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Results().Len() == 0 {
		return nil
	}
	return sig.Results().At(0).Type()
}

// isSignalChan reports whether t is a channel of os.Signal: what
// signal.Notify is given.
func isSignalChan(t types.Type) bool {
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	return ok && apis.IsNamed(ch.Elem(), "os", "Signal")
}

type checker struct {
	*lazyssa.Package
	imported map[*types.Func]*facts.ShutdownFact
	local    map[*ssa.Function]*localFact
	// shutdowns are the Shutdown calls of the package, for the messages
	// of the Serve rule; none when only a helper of another package makes
	// them.
	shutdowns     []token.Pos
	callsShutdown bool
	reported      map[token.Pos]bool
	notifies      map[any]token.Pos // the channels given to signal.Notify

}

// A localFact is what the checker knows of a function of the package: its
// exported fact, and where its Serve error comes from.
type localFact struct {
	facts.ShutdownFact
	servePos token.Pos // the Serve call whose error it returns
}

func run(pass *analysis.Pass) (any, error) {
	defer servers.Delete(pass.TypesInfo)
	return lazyssa.Run(pass, check)
}

func check(p *lazyssa.Package) error {
	c := &checker{
		Package:  p,
		imported: map[*types.Func]*facts.ShutdownFact{},
		local:    map[*ssa.Function]*localFact{},
		reported: map[token.Pos]bool{},
	}
	c.computeFacts()
	for _, fn := range p.Funcs {
		if fn.Blocks == nil {
			continue
		}
		c.checkShutdownContexts(fn)
		c.checkSignalCloses(fn)
		c.checkExits(fn)
		if c.callsShutdown {
			c.checkServeErrors(fn)
		}
	}
	c.exportFacts()
	return nil
}

// computeFacts computes the functions' facts to a fixed point: a wrapper
// of a wrapper of ListenAndServe, a closure returning a helper's Serve
// error. Each round can only set more bits, so it ends.
func (c *checker) computeFacts() {
	for _, fn := range c.Funcs {
		c.local[fn] = &localFact{}
	}
	for round := 0; round <= len(c.Funcs); round++ {
		changed := false
		for _, fn := range c.Funcs {
			if fn.Blocks == nil {
				continue
			}
			if c.summarize(fn, c.local[fn]) {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	for _, f := range c.local {
		if f.CallsShutdown {
			c.callsShutdown = true
		}
	}
}

// summarize updates f, fn's fact, from fn's calls; it reports whether f
// changed.
func (c *checker) summarize(fn *ssa.Function, f *localFact) bool {
	before := *f
	for call := range apis.Calls(fn) {
		common := call.Common()
		callee := apis.Callee(common)
		if isShutdown(callee) {
			f.CallsShutdown = true
			if !c.inTestFile(call.Pos()) && !slices.Contains(c.shutdowns, call.Pos()) {
				c.shutdowns = append(c.shutdowns, call.Pos())
			}
			if len(common.Args) > 1 {
				if d := c.deadline(common.Args[1], call); d.param >= 0 {
					f.ShutdownCtx |= 1 << d.param
				}
			}
			continue
		}
		cf := c.factOf(common)
		if cf == nil {
			continue
		}
		if cf.CallsShutdown {
			f.CallsShutdown = true
		}
		for i, arg := range common.Args {
			if facts.Has(cf.ShutdownCtx, i) {
				if d := c.deadline(arg, call); d.param >= 0 {
					f.ShutdownCtx |= 1 << d.param
				}
			}
		}
	}
	if ret := c.returnedServeErr(fn); ret != nil {
		f.ServeErr, f.ServeName, f.servePos = true, ret.name, ret.pos
	}
	return *f != before
}

// factOf returns the fact of the function a call statically calls: the
// package's own, computed so far, or an imported one; nil if none.
func (c *checker) factOf(common *ssa.CallCommon) *localFact {
	if fn := apis.StaticFunc(common); fn != nil {
		if f, ok := c.local[fn]; ok {
			return f
		}
	}
	obj := apis.Callee(common)
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == c.Pass.Pkg {
		return nil
	}
	f, ok := c.imported[obj]
	if !ok {
		f = new(facts.ShutdownFact)
		if !c.Pass.ImportObjectFact(obj, f) {
			f = nil
		}
		c.imported[obj] = f
	}
	if f == nil {
		return nil
	}
	return &localFact{ShutdownFact: *f}
}

// exportFacts exports the facts of the package's declared functions and
// methods. The standard library wraps no http.Server for its importers.
func (c *checker) exportFacts() {
	if apis.IsStdPath(c.Pass.Pkg.Path()) {
		return
	}
	for fn, f := range c.local {
		obj, _ := fn.Object().(*types.Func)
		// Only what other packages can call needs a fact.
		if obj == nil || obj.Pkg() != c.Pass.Pkg || fn.Parent() != nil || f.Empty() || !obj.Exported() || c.inTestFile(obj.Pos()) {
			continue
		}
		fact := f.ShutdownFact
		c.Pass.ExportObjectFact(obj, &fact)
	}
}

// shutdownFor returns the Shutdown call a message about the Serve call at
// pos names: the first in its file, else the first of the package; NoPos
// when a helper of another package makes it.
func (c *checker) shutdownFor(pos token.Pos) token.Pos {
	if len(c.shutdowns) == 0 {
		return token.NoPos
	}
	sorted := slices.Clone(c.shutdowns)
	slices.Sort(sorted)
	file := c.Pass.Fset.File(pos)
	for _, p := range sorted {
		if c.Pass.Fset.File(p) == file {
			return p
		}
	}
	return sorted[0]
}

func (c *checker) inTestFile(pos token.Pos) bool {
	f := c.Pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// serveMethod returns the name of the http.Server method fn is when it
// serves until Shutdown or Close (ListenAndServe, ListenAndServeTLS,
// Serve, ServeTLS), or "". http.ListenAndServe and its kin make a server
// no one can shut down: their error is never ErrServerClosed.
func serveMethod(fn *types.Func) string {
	if fn == nil {
		return ""
	}
	switch fn.Name() {
	case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS":
		if apis.IsMethod(fn, "net/http", "Server", fn.Name()) {
			return fn.Name()
		}
	}
	return ""
}

func isShutdown(fn *types.Func) bool { return apis.IsMethod(fn, "net/http", "Server", "Shutdown") }

func isNotify(fn *types.Func) bool { return apis.IsFunc(fn, "os/signal", "Notify") }

func isSignalStop(fn *types.Func) bool { return apis.IsFunc(fn, "os/signal", "Stop") }
