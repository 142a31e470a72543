package runner

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"net/url"
	"os"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

// analyze parses, type-checks and analyzes n, records its facts (and for a
// root its findings) on n and in the cache, and lets go of the rest.
func (g *graph) analyze(n *node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			// lifeguard's own bug: the package's error, not the run's end.
			p := findings.NewPackage(n.pkg, n.root)
			p.Errors = append(slices.Clone(p.Errors), packages.Error{Pos: "-", Msg: fmt.Sprintf("internal error analyzing %s: %v\n%s", n.pkg.ID, r, debug.Stack()), Kind: packages.UnknownError})
			n.facts = &factsEntry{IllTyped: true, Problem: p}
			if n.root {
				n.result = &rootEntry{Package: p, Problems: closureProblems(n)}
			}
			err = nil
		}
	}()

	lp, unchanged := g.load(n)
	defer typesRoots.Delete(lp.Types)
	if n.root {
		typesRoots.Store(lp.Types, true)
	}
	illTyped := len(lp.Errors) > 0
	for _, imp := range n.imports {
		illTyped = illTyped || imp.facts.IllTyped
	}

	p := findings.NewPackage(lp.Package, n.root)
	problem := findings.NewPackage(lp.Package, false)
	fs := newFactStore(n, lp.imported)
	var failed []string
	for _, act := range g.actions(n, fs, lp, illTyped) {
		p.AddAction(lp.Fset, act.a, act.result, act.diags, act.err, act.depFailed, act.skipped)
		if act.err != nil {
			problem.AddAction(lp.Fset, act.a, nil, nil, act.err, act.depFailed, act.skipped)
			if len(act.a.FactTypes) > 0 {
				failed = append(failed, act.a.Name)
			}
		}
	}
	entry := &factsEntry{IllTyped: illTyped, Failed: failed, Facts: fs.encode(lp.Types)}
	if len(problem.Errors) > 0 || problem.ModuleError != "" || len(problem.Actions) > 0 {
		entry.Problem = problem
	}
	n.facts = entry
	if n.root {
		n.result = &rootEntry{Package: p, Problems: closureProblems(n)}
	}

	// A file that changed between the listing and the parse would be
	// cached under a key that does not match what was analyzed.
	if g.cfg.Cache == nil || !unchanged {
		return nil
	}
	if err := g.write(n, factsKind, entry); err != nil {
		return err
	}
	if n.root {
		return g.write(n, resultKind, n.result)
	}
	return nil
}

// A loaded package: n's syntax and types, as go/packages would give them,
// with its imports read from export data.
type loaded struct {
	*packages.Package
	universe *universe // where its imports' types come from
}

func (lp *loaded) imported(path string) *types.Package { return lp.universe.lookup(path) }

// A universe is the types read from export data for a set of packages in
// which an import path names one package, and the FileSet that holds their
// positions and those of the packages parsed with them. The packages that
// are no test variant share one, so that each import's export data is read
// once and not once per importer (on golangci-lint's module, 40% of the
// CPU time went to reading it again); a test variant has one of its own,
// since an import path may name another package in its test binary.
type universe struct {
	fset    *token.FileSet
	mu      sync.Mutex
	imports map[string]*types.Package // by package path
}

func newUniverse() *universe {
	return &universe{fset: token.NewFileSet(), imports: make(map[string]*types.Package)}
}

// maxUniverse bounds the packages a shared universe holds: past it, the
// packages loaded next start a fresh one, and the old one goes once the
// packages that use it are done. The importer keeps each package's export
// data whole (its names and file names point into it), so one universe for
// all of std cmd/... held 1 GiB of it.
const maxUniverse = 500

// plainUniverse returns the universe for a package that is no test variant.
func (g *graph) plainUniverse() *universe {
	g.plainMu.Lock()
	defer g.plainMu.Unlock()
	if g.plain == nil || g.plain.size() > maxUniverse {
		g.plain = newUniverse()
	}
	return g.plain
}

func (u *universe) size() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.imports)
}

func (u *universe) lookup(path string) *types.Package {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.imports[path]
}

// load returns dep's types in the universe, read from its export data the
// first time.
func (u *universe) load(dep *packages.Package) (*types.Package, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if p := u.imports[dep.PkgPath]; p != nil && p.Complete() {
		return p, nil
	}
	return readExportData(u.fset, dep, u.imports)
}

// load parses and type-checks n, reporting errors as go/packages does, and
// whether the files it parsed are those the key was computed from.
func (g *graph) load(n *node) (*loaded, bool) {
	spec := n.spec
	pkg := &packages.Package{
		ID:              spec.ID,
		Name:            spec.Name,
		PkgPath:         spec.PkgPath,
		Errors:          slices.Clone(spec.Errors),
		GoFiles:         spec.GoFiles,
		CompiledGoFiles: spec.CompiledGoFiles,
		OtherFiles:      spec.OtherFiles,
		IgnoredFiles:    spec.IgnoredFiles,
		EmbedFiles:      spec.EmbedFiles,
		Module:          spec.Module,
		TypesSizes:      spec.TypesSizes,
	}
	u := newUniverse()
	if !strings.Contains(spec.ID, " [") { // "p [p.test]": built for one test binary
		u = g.plainUniverse()
	}
	pkg.Fset = u.fset
	lp := &loaded{Package: pkg, universe: u}
	if spec.PkgPath == "unsafe" {
		pkg.Types, pkg.Syntax, pkg.TypesInfo = types.Unsafe, []*ast.File{}, newTypesInfo()
		return lp, true
	}
	pkg.Types = types.NewPackage(spec.PkgPath, spec.Name)

	// Imports that have no export data because they do not type-check:
	// their own errors are the report's, and that this package cannot
	// import them is only their echo, which go/packages, type-checking
	// them from source, never printed.
	broken := make(map[string]bool)
	appendError := func(err error) {
		switch err := err.(type) {
		case packages.Error:
			pkg.Errors = append(pkg.Errors, err)
		case *os.PathError:
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: err.Path + ":1", Msg: err.Err.Error(), Kind: packages.ParseError})
		case scanner.ErrorList:
			for _, e := range err {
				pkg.Errors = append(pkg.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		case types.Error:
			pkg.TypeErrors = append(pkg.TypeErrors, err)
			if path, ok := strings.CutPrefix(err.Msg, "could not import "); ok {
				if i := strings.Index(path, " ("); i >= 0 && broken[path[:i]] {
					return
				}
			}
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: err.Fset.Position(err.Pos).String(), Msg: err.Msg, Kind: packages.TypeError})
		default:
			pkg.Errors = append(pkg.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
		}
	}

	if len(spec.CompiledGoFiles) == 0 && spec.ExportFile != "" {
		appendError(packages.Error{Pos: "-", Msg: fmt.Sprintf("sources missing for package %s", spec.ID), Kind: packages.ParseError})
		pkg.Syntax, pkg.TypesInfo = []*ast.File{}, newTypesInfo()
		return lp, true
	}

	unchanged := true
	listed := make(map[string]bool)
	for _, name := range n.pkg.GoFiles {
		listed[name] = true
	}
	for _, name := range spec.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			appendError(err)
			unchanged = false
			continue
		}
		if listed[name] && sha256.Sum256(src) != n.fileHash(name) {
			unchanged = false
		}
		// As go/packages parses (it keeps resolving objects).
		f, err := parser.ParseFile(pkg.Fset, name, src, parser.AllErrors|parser.ParseComments)
		if err != nil {
			appendError(err)
		}
		if f != nil {
			pkg.Syntax = append(pkg.Syntax, f)
		}
	}

	pkg.TypesInfo = newTypesInfo()
	importer := importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		dep := spec.Imports[path]
		if dep == nil {
			return nil, fmt.Errorf("no metadata for %s", path)
		}
		if d := g.byID[dep.ID]; dep.ExportFile == "" && d != nil && d.facts != nil && d.facts.IllTyped {
			broken[path] = true
		}
		return lp.universe.load(dep)
	})
	tc := &types.Config{Importer: importer, Error: appendError, Sizes: spec.TypesSizes}
	if m := spec.Module; m != nil && m.GoVersion != "" {
		tc.GoVersion = "go" + m.GoVersion
	}
	typErr := types.NewChecker(tc, pkg.Fset, pkg.Types, pkg.TypesInfo).Files(pkg.Syntax)
	if typErr != nil && len(pkg.Errors) == 0 && len(pkg.Syntax) > 0 {
		if msg := typErr.Error(); strings.HasPrefix(msg, "package requires newer Go version") {
			appendError(types.Error{Fset: pkg.Fset, Pos: pkg.Syntax[0].Package, Msg: msg})
		}
	}
	if typErr != nil && len(pkg.Errors) == 0 {
		appendError(typErr)
	}
	return lp, unchanged
}

// readExportData reads dep's types from the export data the go command
// built for it.
func readExportData(fset *token.FileSet, dep *packages.Package, imports map[string]*types.Package) (*types.Package, error) {
	if dep.ExportFile == "" {
		return nil, fmt.Errorf("no export data for %s: it does not build", dep.ID)
	}
	f, err := os.Open(dep.ExportFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("reading export data for %s: %v", dep.ID, err)
	}
	return gcexportdata.Read(r, fset, imports, dep.PkgPath)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func newTypesInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

func (n *node) fileHash(name string) [sha256.Size]byte { return n.hashes[name] }

// An action is the outcome of one analyzer on the package.
type action struct {
	a                  *analysis.Analyzer
	result             any
	diags              []analysis.Diagnostic
	err                error
	depFailed, skipped bool
}

// actions runs on lp the analyzers n needs, each after those it requires:
// every one on a root, those with facts and what they require elsewhere.
func (g *graph) actions(n *node, fs *factStore, lp *loaded, illTyped bool) []*action {
	var order []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	if n.root {
		for _, a := range g.cfg.Analyzers {
			visit(a)
		}
	} else {
		for _, a := range requiredClosure(g.cfg.Analyzers) {
			if len(a.FactTypes) > 0 {
				visit(a)
			}
		}
	}

	done := make(map[*analysis.Analyzer]*action)
	var list []*action
	for _, a := range order {
		act := &action{a: a}
		var failed []string
		for _, req := range a.Requires {
			if done[req].err != nil {
				failed = append(failed, req.Name+"@"+n.pkg.ID)
			}
		}
		if len(a.FactTypes) > 0 {
			for _, imp := range n.imports {
				if slices.Contains(imp.facts.Failed, a.Name) {
					failed = append(failed, a.Name+"@"+imp.pkg.ID)
				}
			}
		}
		switch {
		case failed != nil:
			sort.Strings(failed)
			act.err = fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
			act.depFailed = true
		case illTyped && !a.RunDespiteErrors:
			act.err = errors.New("analysis skipped due to errors in package")
			act.skipped = true
		default:
			inputs := make(map[*analysis.Analyzer]any)
			for _, req := range a.Requires {
				inputs[req] = done[req].result
			}
			act.result, act.diags, act.err = run(a, lp, fs, inputs)
		}
		done[a] = act
		list = append(list, act)
	}
	return list
}

// run runs analyzer a on lp, as analysis/checker's action does.
func run(a *analysis.Analyzer, lp *loaded, fs *factStore, inputs map[*analysis.Analyzer]any) (result any, diags []analysis.Diagnostic, err error) {
	module := &analysis.Module{}
	if m := lp.Module; m != nil {
		module = analysisModule(m)
	}
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         lp.Fset,
		Files:        lp.Syntax,
		OtherFiles:   lp.OtherFiles,
		IgnoredFiles: lp.IgnoredFiles,
		Pkg:          lp.Types,
		TypesInfo:    lp.TypesInfo,
		TypesSizes:   lp.TypesSizes,
		TypeErrors:   lp.TypeErrors,
		Module:       module,
		ResultOf:     inputs,
		Report: func(d analysis.Diagnostic) {
			if err := validateFixes(lp.Fset, a, d.SuggestedFixes); err != nil {
				panic(err) // as analysis/checker does: the analyzer's bug
			}
			diags = append(diags, d)
		},
		ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
			return fs.importObject(a, obj, fact)
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			fs.exportObject(a, lp.Types, obj, fact)
		},
		ImportPackageFact: func(pkg *types.Package, fact analysis.Fact) bool {
			return fs.importPackage(a, pkg, fact)
		},
		ExportPackageFact: func(fact analysis.Fact) { fs.exportPackage(a, lp.Types, fact) },
		AllObjectFacts:    func() []analysis.ObjectFact { return fs.allObjects(a) },
		AllPackageFacts:   func() []analysis.PackageFact { return fs.allPackages(a) },
	}
	pass.ReadFile = func(filename string) ([]byte, error) {
		if !readable(pass, filename) {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", filename)
		}
		return os.ReadFile(filename)
	}
	result, err = a.Run(pass)
	if err != nil {
		return nil, nil, err
	}
	if got, want := reflect.TypeOf(result), a.ResultType; got != want {
		return nil, nil, fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v", lp.Types.Path(), a, got, want)
	}
	for i := range diags {
		u, err := resolveURL(a, diags[i])
		if err != nil {
			return nil, nil, err
		}
		diags[i].URL = u
	}
	return result, diags, nil
}

func readable(pass *analysis.Pass, filename string) bool {
	if slices.Contains(pass.OtherFiles, filename) || slices.Contains(pass.IgnoredFiles, filename) {
		return true
	}
	for _, f := range pass.Files {
		if pass.Fset.File(f.FileStart).Name() == filename {
			return true
		}
	}
	return false
}

// resolveURL resolves a diagnostic's URL against its analyzer's, as
// go/analysis drivers do.
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) (string, error) {
	if d.URL == "" && d.Category == "" && a.URL == "" {
		return "", nil
	}
	raw := d.URL
	if d.URL == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid Diagnostic.URL %q: %s", raw, err)
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return "", fmt.Errorf("invalid Analyzer.URL %q: %s", a.URL, err)
	}
	return base.ResolveReference(u).String(), nil
}

func analysisModule(m *packages.Module) *analysis.Module {
	if m == nil {
		return nil
	}
	am := &analysis.Module{
		Path: m.Path, Version: m.Version, Replace: analysisModule(m.Replace), Time: m.Time,
		Main: m.Main, Indirect: m.Indirect, Dir: m.Dir, GoMod: m.GoMod, GoVersion: m.GoVersion,
	}
	if m.Error != nil {
		am.Error = &analysis.ModuleError{Err: m.Error.Err}
	}
	return am
}
