package runner

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/resultcache"
)

// The listing that plans a run asks only for what the keys need, which
// the go command answers without compiling anything (0.5 s on
// golangci-lint's module of 1,500 packages, against 1.1 s with export
// data even when the build cache has it all).
const planMode = packages.NeedName | packages.NeedFiles | packages.NeedEmbedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule

// analysisMode adds what parsing and type-checking a package needs.
const analysisMode = planMode | packages.NeedCompiledGoFiles | packages.NeedExportFile | packages.NeedTypesSizes

// plan lists the packages and computes their keys.
func plan(cfg *Config) (*graph, error) {
	pkgs, err := packages.Load(&packages.Config{
		Mode:       planMode,
		Dir:        cfg.Dir,
		Tests:      cfg.Tests,
		BuildFlags: cfg.BuildFlags,
	}, cfg.Patterns...)
	if err != nil {
		return nil, cleanGoListError(err)
	}
	pkgs = slices.DeleteFunc(pkgs, isTestMain)
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(cfg.Patterns, " "))
	}

	g := &graph{cfg: cfg, byID: make(map[string]*node)}
	for p := range packages.Postorder(pkgs) {
		n := &node{pkg: p, direct: make(map[*node]bool)}
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			imp := g.byID[p.Imports[path].ID]
			n.imports = append(n.imports, imp)
			n.direct[imp] = true
		}
		g.byID[p.ID] = n
		g.nodes = append(g.nodes, n)
	}
	for _, p := range pkgs {
		n := g.byID[p.ID]
		if !n.root {
			n.root = true
			g.roots = append(g.roots, n)
		}
	}

	hashes := hashFiles(cfg, g.nodes)
	config := configHash(cfg)
	for _, n := range g.nodes {
		n.key = packageKey(config, n, hashes)
		n.hashes = hashes
	}
	return g, nil
}

// isTestMain reports whether pkg is the main package that the go command
// synthesizes to run a package's tests ("p.test"). Its one file lives in the
// build cache, where no finding could be acted on, and analyzing it would
// pull in the test runner's own dependencies.
func isTestMain(pkg *packages.Package) bool {
	if pkg.Name != "main" || !strings.HasSuffix(pkg.ID, ".test") {
		return false
	}
	for _, imp := range pkg.Imports {
		if strings.HasSuffix(imp.ID, " ["+pkg.ID+"]") {
			return true // it imports the package under test, as built for it
		}
	}
	return false
}

// keyedFiles are the files of a package that its key covers: every file
// the go command lists for it, compiled or not, since analyzers may read
// them all.
func keyedFiles(p *packages.Package) []string {
	return slices.Concat(p.GoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles)
}

// hashFiles returns the SHA-256 of every file the keys cover; with a
// cache, files unchanged since it last hashed them are not read.
func hashFiles(cfg *Config, nodes []*node) map[string][sha256.Size]byte {
	var names []string
	seen := make(map[string]bool)
	for _, n := range nodes {
		for _, name := range keyedFiles(n.pkg) {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	hasher := resultcache.NewFileHasher()
	if cfg.Cache != nil {
		hasher = cfg.Cache.FileHasher()
	}
	sums := hasher.HashFiles(names)
	_ = hasher.Save() // the index saves work only: a run goes on without it
	return sums
}

// keyVersion changes whenever what the cache holds changes form.
const keyVersion = "lifeguard result cache 1"

// configHash hashes what every key shares: the binary, the analyzers and
// their flags, and the build configuration.
func configHash(cfg *Config) [sha256.Size]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nsalt %x\n", keyVersion, cfg.Salt)
	for _, a := range requiredClosure(cfg.Analyzers) {
		fmt.Fprintf(h, "analyzer %s\n", a.Name)
		a.Flags.VisitAll(func(f *flag.Flag) { fmt.Fprintf(h, "flag %s=%s\n", f.Name, f.Value) })
	}
	fmt.Fprintf(h, "tests %v\nbuildflags %q\n", cfg.Tests, cfg.BuildFlags)
	// The go command's choice of files and of compiler settings follows
	// these; the files' contents are in the keys anyway.
	for _, v := range []string{"GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS", "GOEXPERIMENT", "GOARM", "GOAMD64", "GO386", "GOWORK", "GODEBUG"} {
		fmt.Fprintf(h, "env %s=%q\n", v, os.Getenv(v))
	}
	fmt.Fprintf(h, "host %s/%s\n", runtime.GOOS, runtime.GOARCH)
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// packageKey hashes what the analysis of n reads: the shared
// configuration, n's identity, module and files, and its imports' keys.
func packageKey(config [sha256.Size]byte, n *node, hashes map[string][sha256.Size]byte) resultcache.Key {
	p := n.pkg
	h := sha256.New()
	fmt.Fprintf(h, "config %x\nid %q\npath %q\nname %q\n", config, p.ID, p.PkgPath, p.Name)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module %q %q %q main=%v dir=%q\n", m.Path, m.Version, m.GoVersion, m.Main, m.Dir)
		if m.Error != nil {
			fmt.Fprintf(h, "module error %q\n", m.Error.Err)
		}
	}
	for _, list := range [][]string{p.GoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
		fmt.Fprintf(h, "files %d\n", len(list))
		for _, name := range list {
			fmt.Fprintf(h, "%q %x\n", name, hashes[name])
		}
	}
	for _, e := range p.Errors {
		fmt.Fprintf(h, "error %q %q %d\n", e.Pos, e.Msg, e.Kind)
	}
	for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
		dep := p.Imports[path]
		fmt.Fprintf(h, "import %q %q %x\n", path, dep.ID, n.importKey(dep.ID))
	}
	var key resultcache.Key
	h.Sum(key[:0])
	return key
}

func (n *node) importKey(id string) resultcache.Key {
	for _, imp := range n.imports {
		if imp.pkg.ID == id {
			return imp.key
		}
	}
	return resultcache.Key{}
}

// subkey is the key of one kind of entry of the package with key.
func subkey(key resultcache.Key, kind string) resultcache.Key {
	return sha256.Sum256(append(key[:], kind...))
}

// requiredClosure returns the analyzers and those they require, each once,
// sorted by name.
func requiredClosure(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	seen := make(map[*analysis.Analyzer]bool)
	var list []*analysis.Analyzer
	var add func([]*analysis.Analyzer)
	add = func(as []*analysis.Analyzer) {
		for _, a := range as {
			if !seen[a] {
				seen[a] = true
				list = append(list, a)
				add(a.Requires)
			}
		}
	}
	add(analyzers)
	slices.SortFunc(list, func(x, y *analysis.Analyzer) int { return strings.Compare(x.Name, y.Name) })
	return list
}
