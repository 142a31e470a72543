package runner

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"go/types"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/resultcache"
)

// Config says what to analyze, and how.
type Config struct {
	Dir        string   // the directory the go command runs in
	Patterns   []string // the packages
	BuildFlags []string // for the go command: -tags
	Tests      bool     // the test variants too
	Analyzers  []*analysis.Analyzer

	// Cache keeps the results between runs; nil: analyze everything and
	// keep nothing.
	Cache *resultcache.Cache
	// Salt identifies the binary: a result computed by another build of
	// lifeguard is never used.
	Salt []byte
	// Progress, if set, is called after each package.
	Progress func(Progress)
}

// Progress counts the packages of a run.
type Progress struct {
	Done, Total int // analyzed or read from the cache, of those the run needs
	Cached      int // of Done, read from the cache
}

// A Result is the outcome of a run.
type Result struct {
	// Packages are the roots and the dependencies that have errors or
	// failed analyzers, dependencies first.
	Packages []*findings.Package
	// Listed are the root packages as the go command listed them.
	Listed []*packages.Package
	// Analyzed and Cached count the packages analyzed and those whose
	// results came from the cache.
	Analyzed, Cached int
}

// Run analyzes the packages cfg names. Problems with the packages
// themselves (parse and type errors, analyzers that fail) are in the
// result; the error is for failures that leave nothing to report.
func Run(cfg *Config) (*Result, error) {
	registerFacts(cfg.Analyzers)
	g, err := plan(cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, n := range g.roots {
		res.Listed = append(res.Listed, n.pkg)
	}

	// The fast path: every root's findings are cached.
	g.progress.Total = len(g.roots)
	missing := g.roots
	if cfg.Cache != nil {
		missing = nil
		for _, n := range g.roots {
			if !g.readResult(n) {
				missing = append(missing, n)
			}
		}
	}
	if len(missing) > 0 {
		if err := g.analyzeMissing(missing); err != nil {
			return nil, err
		}
	}
	res.Packages = g.report()
	res.Analyzed, res.Cached = int(g.analyzed.Load()), int(g.cached.Load())
	return res, nil
}

// A node is one package of the run's import graph.
type node struct {
	pkg     *packages.Package // as listed: files, imports, errors
	imports []*node           // sorted by import path
	direct  map[*node]bool
	root    bool
	key     resultcache.Key
	hashes  map[string][sha256.Size]byte // of every file of the run

	spec *packages.Package // as listed for analysis: compiled files, export data, sizes

	// Filled in once the package is analyzed or read from the cache:
	facts  *factsEntry
	result *rootEntry // roots only

	needed bool          // analyzed in this run
	done   chan struct{} // closed once facts (and result) are set
}

// A graph is the packages of one run.
type graph struct {
	cfg   *Config
	nodes []*node // dependencies before their importers
	roots []*node
	byID  map[string]*node

	plain   *universe // the export data of the packages that are no test variant
	plainMu sync.Mutex

	analyzed, cached atomic.Int32
	progressMu       sync.Mutex
	progress         Progress
}

// A factsEntry is what the cache keeps of every package analyzed: what its
// importers need.
type factsEntry struct {
	IllTyped bool     // it or one of its imports does not type-check
	Failed   []string // the analyzers with facts that failed on it
	// Problem holds its errors and failed analyzers, for the report;
	// nil when it has none.
	Problem *findings.Package
	Facts   []encodedFact
}

// A rootEntry is what the cache keeps of a root package: its findings,
// and the problems of the packages it imports, directly or not,
// dependencies first.
type rootEntry struct {
	Package  *findings.Package
	Problems []*findings.Package
}

const (
	factsKind  = "facts"
	resultKind = "result"
)

// readResult reads n's findings from the cache, and reports whether it
// could.
func (g *graph) readResult(n *node) bool {
	var e rootEntry
	if !g.read(n, resultKind, &e) {
		return false
	}
	n.result = &e
	g.count(true)
	return true
}

// read decodes n's entry of kind into v, and reports whether it could.
func (g *graph) read(n *node, kind string, v any) bool {
	data, ok := g.cfg.Cache.Get(subkey(n.key, kind))
	if !ok {
		return false
	}
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v) == nil
}

// write stores v as n's entry of kind.
func (g *graph) write(n *node, kind string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encoding the %s of %s: %v", kind, n.pkg.ID, err)
	}
	return g.cfg.Cache.Put(subkey(n.key, kind), buf.Bytes())
}

func (g *graph) count(cached bool) {
	if cached {
		g.cached.Add(1)
	} else {
		g.analyzed.Add(1)
	}
	if g.cfg.Progress == nil {
		return
	}
	g.progressMu.Lock()
	defer g.progressMu.Unlock()
	g.progress.Done++
	if cached {
		g.progress.Cached++
	}
	g.cfg.Progress(g.progress)
}

// analyzeMissing analyzes the roots in missing and every package whose
// facts they need and the cache lacks, dependencies first, in parallel.
func (g *graph) analyzeMissing(missing []*node) error {
	var needed []*node
	var need, ensureFacts func(n *node)
	need = func(n *node) {
		if n.needed {
			return
		}
		n.needed = true
		n.done = make(chan struct{})
		for _, imp := range n.imports {
			ensureFacts(imp)
		}
		needed = append(needed, n)
	}
	// A package's importers see the facts of everything below it, so
	// the whole closure is read or analyzed.
	ensureFacts = func(n *node) {
		if n.needed || n.facts != nil {
			return
		}
		var e factsEntry
		if g.cfg.Cache != nil && g.read(n, factsKind, &e) {
			n.facts = &e
			for _, imp := range n.imports {
				ensureFacts(imp)
			}
			return
		}
		need(n)
	}
	for _, n := range missing {
		need(n)
	}
	if g.cfg.Progress != nil {
		g.progressMu.Lock()
		g.progress.Total = len(g.roots) - len(missing) + len(needed)
		g.progressMu.Unlock()
	}

	if err := g.listForAnalysis(needed); err != nil {
		return err
	}

	workers := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	for _, n := range needed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(n.done)
			for _, imp := range n.imports {
				if imp.needed {
					<-imp.done
				}
			}
			workers <- struct{}{}
			err := g.analyze(n)
			<-workers
			if err != nil {
				errMu.Lock()
				firstErr = cmpErr(firstErr, err)
				errMu.Unlock()
			}
			g.count(false)
		}()
	}
	wg.Wait()
	return firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// listForAnalysis lists the packages to analyze again, now with what
// analysis needs: compiled files (cgo), export data, sizes. The go command
// builds the export data of what it lacks, as go vet and go build do.
func (g *graph) listForAnalysis(needed []*node) error {
	pkgs, err := packages.Load(&packages.Config{
		Mode:       analysisMode,
		Dir:        g.cfg.Dir,
		Tests:      g.cfg.Tests,
		BuildFlags: g.cfg.BuildFlags,
	}, g.cfg.Patterns...)
	if err != nil {
		return cleanGoListError(err)
	}
	specs := make(map[string]*packages.Package)
	for p := range packages.Postorder(pkgs) {
		specs[p.ID] = p
	}
	for _, n := range g.nodes {
		n.spec = specs[n.pkg.ID]
		if n.spec == nil && slices.Contains(needed, n) {
			return fmt.Errorf("package %s changed while it was being analyzed; run lifeguard again", n.pkg.ID)
		}
	}
	return nil
}

// report assembles the result: the roots and the dependencies with
// problems, dependencies first.
func (g *graph) report() []*findings.Package {
	problems := make(map[string]*findings.Package)
	for _, n := range g.roots {
		for _, p := range n.result.Problems {
			problems[p.ID] = p
		}
	}
	var list []*findings.Package
	for _, n := range g.nodes {
		if n.root {
			list = append(list, n.result.Package)
		} else if p := problems[n.pkg.ID]; p != nil {
			list = append(list, p)
		}
	}
	return list
}

// closureProblems returns the problems of the packages n imports, directly
// or not, dependencies first.
func closureProblems(n *node) []*findings.Package {
	var list []*findings.Package
	for _, dep := range n.below() {
		if p := dep.facts.Problem; p != nil {
			list = append(list, p)
		}
	}
	return list
}

// below returns the packages n imports, directly or not, each once,
// dependencies before their importers.
func (n *node) below() []*node {
	var list []*node
	seen := make(map[*node]bool)
	var visit func(*node)
	visit = func(m *node) {
		for _, dep := range m.imports {
			if !seen[dep] {
				seen[dep] = true
				visit(dep)
				list = append(list, dep)
			}
		}
	}
	visit(n)
	return list
}

// cleanGoListError strips the wrapping that go/packages puts around the go
// command's own message ("err: exit status 1: stderr: go: ...").
func cleanGoListError(err error) error {
	msg := err.Error()
	const prefix = "stderr: "
	if strings.HasPrefix(msg, "err: exit status ") {
		if i := strings.Index(msg, prefix); i >= 0 {
			return errors.New(strings.TrimSpace(msg[i+len(prefix):]))
		}
	}
	return err
}

// typesRoots holds the types of the root packages being analyzed, for
// IsRoot.
var typesRoots sync.Map // *types.Package -> bool

// IsRoot reports whether p is the package of a root being analyzed: the
// suite's analyzers do their reporting work only there.
func IsRoot(p *types.Package) bool {
	_, ok := typesRoots.Load(p)
	return ok
}
