// Package lazyssa builds the SSA form of a package once for all lifeguard
// analyzers, only when the package uses an API some analyzer watches, and
// frees it when the last of them is done with it.
//
// Most packages never start a process or take a pipe; for them this costs a
// scan of the type checker's Uses map instead of an SSA build. And because
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
	"go/types"
	"reflect"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

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

// Watch decides from a package's type information whether an analyzer has
// anything to look at in it.
type Watch func(info *types.Info, imports []*types.Package) bool

var (
	consumersMu sync.Mutex
	consumers   = map[*analysis.Analyzer]bool{} // registered -> running
	watchers    = map[*analysis.Analyzer]Watch{}
)

// Consume registers a as a user of the SSA result that decides with watched
// whether a package is worth building SSA for. Call it from the analyzer
// package's init.
func Consume(a *analysis.Analyzer, watched Watch) {
	consumersMu.Lock()
	defer consumersMu.Unlock()
	consumers[a] = true
	watchers[a] = watched
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

// runningWatchers returns the watch predicates of the consumers that run.
func runningWatchers() map[*analysis.Analyzer]Watch {
	consumersMu.Lock()
	defer consumersMu.Unlock()
	m := make(map[*analysis.Analyzer]Watch, len(consumers))
	for a, on := range consumers {
		if on {
			m[a] = watchers[a]
		}
	}
	return m
}

func run(pass *analysis.Pass) (result any, err error) {
	res := &Result{wanted: map[*analysis.Analyzer]bool{}}
	for a, watch := range runningWatchers() {
		if watch(pass.TypesInfo, pass.Pkg.Imports()) {
			res.wanted[a] = true
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
	withoutCtrlflow := *pass
	withoutCtrlflow.ResultOf = map[*analysis.Analyzer]any{ctrlflow.Analyzer: new(ctrlflow.CFGs)}
	built, err := buildssa.Analyzer.Run(&withoutCtrlflow)
	if err != nil {
		return res, err
	}
	res.ssa = built.(*buildssa.SSA)
	res.graph = cfgpath.NewGraph(res.ssa.SrcFuncs)
	return res, nil
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
