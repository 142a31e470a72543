package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/resultcache"
)

// The module of the cache tests: app takes a command from lib.Start, which
// either starts it or not; only lib's facts tell app's analysis which.
const (
	goMod  = "module example.com/m\n\ngo 1.22\n"
	appSrc = `package app

import "example.com/m/lib"

func Run() error {
	cmd, err := lib.Start()
	if err != nil {
		return err
	}
	_ = cmd
	return nil
}
`
	libStarts  = "package lib\n\nimport \"os/exec\"\n\nfunc Start() (*exec.Cmd, error) {\n\tcmd := exec.Command(\"true\")\n\treturn cmd, cmd.Start()\n}\n"
	libCommand = "package lib\n\nimport \"os/exec\"\n\nfunc Start() (*exec.Cmd, error) {\n\treturn exec.Command(\"true\"), nil\n}\n"
)

type testModule struct {
	t     *testing.T
	dir   string
	cache *resultcache.Cache
	salt  string
}

func newTestModule(t *testing.T) *testModule {
	t.Helper()
	dir := t.TempDir()
	m := &testModule{t: t, dir: dir, salt: "build 1"}
	m.write("go.mod", goMod)
	m.write("app/app.go", appSrc)
	m.write("lib/lib.go", libStarts)
	c, err := resultcache.Open(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	m.cache = c
	return m
}

func (m *testModule) write(name, content string) {
	m.t.Helper()
	path := filepath.Join(m.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		m.t.Fatal(err)
	}
}

// run analyzes the module's packages with cmdwait and returns the
// findings, one "file:line: message" line each, and the result.
func (m *testModule) run(cache *resultcache.Cache) ([]string, *Result) {
	m.t.Helper()
	analyzers := []*analysis.Analyzer{cmdwait.Analyzer}
	suite.Configure(suite.Config{Running: analyzers, IsRoot: IsRoot})
	res, err := Run(&Config{Dir: m.dir, Patterns: []string{"./..."}, Analyzers: analyzers, Cache: cache, Salt: []byte(m.salt)})
	if err != nil {
		m.t.Fatal(err)
	}
	rep := findings.New(res.Packages, analyzers, positions.NewDisplay(m.dir), positions.NewDisplay(m.dir))
	if len(rep.Errors) > 0 {
		m.t.Fatalf("errors: %v", rep.Errors)
	}
	var list []string
	for _, f := range rep.Findings {
		list = append(list, fmt.Sprintf("%s:%d: %s", filepath.Base(f.Posn.Filename), f.Posn.Line, f.Message))
	}
	return list, res
}

// expect runs and checks how many packages were analyzed and how many came
// from the cache.
func (m *testModule) expect(analyzed, cached int) []string {
	m.t.Helper()
	list, res := m.run(m.cache)
	if res.Analyzed != analyzed || res.Cached != cached {
		m.t.Errorf("%d packages analyzed, %d cached; want %d and %d", res.Analyzed, res.Cached, analyzed, cached)
	}
	return list
}

// The packages of the module's graph: app, lib, and the standard library
// they import.
func (m *testModule) total() int {
	_, res := m.run(nil)
	return res.Analyzed
}

func TestCacheHit(t *testing.T) {
	m := newTestModule(t)
	total := m.total()
	first := m.expect(total, 0)
	if len(first) != 1 || !strings.HasPrefix(first[0], "app.go:6: ") {
		t.Fatalf("findings %q, want one of lib.Start at app.go:6", first)
	}
	// Both roots' findings come from the cache; nothing else is read.
	again := m.expect(0, 2)
	if !reflect.DeepEqual(first, again) {
		t.Errorf("cached findings %q, want %q", again, first)
	}
}

func TestCacheMissAfterEditInPackage(t *testing.T) {
	m := newTestModule(t)
	m.expect(m.total(), 0)
	m.write("app/app.go", strings.Replace(appSrc, "func Run() error {", "// Run runs.\nfunc Run() error {", 1))
	// app again; lib's findings and facts, and the standard library's
	// facts, from the cache.
	got := m.expect(1, 1)
	if len(got) != 1 || !strings.HasPrefix(got[0], "app.go:7: ") {
		t.Errorf("findings %q, want the one of app.go, a line down", got)
	}
}

func TestCacheMissAfterEditInDependency(t *testing.T) {
	m := newTestModule(t)
	if got := m.expect(m.total(), 0); len(got) != 1 {
		t.Fatalf("findings %q, want one", got)
	}
	m.write("lib/lib.go", libCommand)
	// lib and its importer app again: lib's facts say Start no longer
	// starts the command.
	if got := m.expect(2, 0); len(got) != 0 {
		t.Errorf("findings %q after lib.Start stopped starting it, want none", got)
	}
	m.write("lib/lib.go", libStarts)
	if got := m.expect(0, 2); len(got) != 1 {
		t.Errorf("findings %q with lib as it was, want the first run's, cached", got)
	}
}

func TestCacheMissAfterFlagsChange(t *testing.T) {
	m := newTestModule(t)
	total := m.total()
	m.expect(total, 0)
	f := cmdwait.Analyzer.Flags.Lookup("wait-funcs")
	saved := f.Value.String()
	defer f.Value.Set(saved)
	if err := f.Value.Set("example.com/m/app.Reap"); err != nil {
		t.Fatal(err)
	}
	m.expect(total, 0)
}

func TestCacheMissAfterVersionChange(t *testing.T) {
	m := newTestModule(t)
	total := m.total()
	m.expect(total, 0)
	m.salt = "build 2"
	m.expect(total, 0)
}

// TestCacheConcurrentRuns runs four analyses on one cache at once, as two
// processes would share it, and checks each got the findings a run alone
// gets, and that what they left serves the next run.
func TestCacheConcurrentRuns(t *testing.T) {
	m := newTestModule(t)
	want, _ := m.run(nil)
	var wg sync.WaitGroup
	results := make([][]string, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = m.run(m.cache)
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("run %d: findings %q, want %q", i, got, want)
		}
	}
	if got := m.expect(0, 2); !reflect.DeepEqual(got, want) {
		t.Errorf("after the concurrent runs: %q, want %q", got, want)
	}
}

// TestCacheTruncatedEntry cuts every entry of the cache short, as a run
// killed while writing would leave them, and checks they are misses, not
// errors or wrong findings.
func TestCacheTruncatedEntry(t *testing.T) {
	m := newTestModule(t)
	total := m.total()
	want := m.expect(total, 0)
	n := 0
	err := filepath.Walk(m.cache.Dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.HasSuffix(path, "-d") {
			return err
		}
		n++
		return os.Truncate(path, fi.Size()/2)
	})
	if err != nil || n == 0 {
		t.Fatalf("truncating the entries: %v (%d of them)", err, n)
	}
	if got := m.expect(total, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
	if got := m.expect(0, 2); !reflect.DeepEqual(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// TestBrokenDependency: a package that does not type-check has no export
// data; its importer's "could not import" echoes its errors, and the report
// lists its own errors only, as go/packages (which type-checked it from
// source) did; the importer is not analyzed, having an ill-typed import.
func TestBrokenDependency(t *testing.T) {
	m := newTestModule(t)
	m.write("lib/lib.go", "package lib\n\nimport \"os/exec\"\n\nvar X int = \"three\"\n\nfunc Start() (*exec.Cmd, error) { return nil, nil }\n")
	analyzers := []*analysis.Analyzer{cmdwait.Analyzer}
	suite.Configure(suite.Config{Running: analyzers, IsRoot: IsRoot})
	for _, cache := range []*resultcache.Cache{nil, m.cache, m.cache} {
		res, err := Run(&Config{Dir: m.dir, Patterns: []string{"./..."}, Analyzers: analyzers, Cache: cache, Salt: []byte(m.salt)})
		if err != nil {
			t.Fatal(err)
		}
		rep := findings.New(res.Packages, analyzers, positions.NewDisplay(m.dir), positions.NewDisplay(m.dir))
		want := []string{"lib/lib.go:5:13: cannot use \"three\" (untyped string constant) as int value in variable declaration"}
		if !reflect.DeepEqual(rep.Errors, want) || len(rep.Findings) != 0 {
			t.Errorf("errors %q and %d findings; want %q and none", rep.Errors, len(rep.Findings), want)
		}
	}
}
