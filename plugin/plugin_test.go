package plugin

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// conf is what golangci-lint hands New: the settings as viper decoded them
// from YAML, keys lowercased, lists as []any.
type conf = map[string]any

func names(as []*analysis.Analyzer) string {
	var list []string
	for _, a := range as {
		list = append(list, a.Name)
	}
	return strings.Join(list, ",")
}

func mustNew(t *testing.T, c any) *Plugin {
	t.Helper()
	p, err := New(c)
	if err != nil {
		t.Fatalf("New(%v): %v", c, err)
	}
	return p.(*Plugin)
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("lifeguard")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if err := analysis.Validate(as); err != nil {
		t.Errorf("the analyzers do not validate: %v", err)
	}
}

func TestDecodeSettings(t *testing.T) {
	s, err := register.DecodeSettings[Settings](conf{
		"enable":      []any{"lostcancel", "SA2000"},
		"disable":     []any{"ctxbreak"},
		"vet":         true,
		"staticcheck": true,
		"cmdwait":     conf{"wait-funcs": []any{"example.com/run.Reap", "(*example.com/run.Group).Wait"}},
		"pipedrain": conf{
			"drain-funcs": "example.com/io.Drain, example.com/io.Copy", // one string, as on the command line
			"close-funcs": []any{"example.com/io.Close"},
		},
		"defercancel":    conf{"cancel-funcs": []any{"example.com/ctx.New"}},
		"handlerrecover": conf{"recover-funcs": []any{"example.com/safe.Recover"}, "wrapper-funcs": []any{"example.com/safe.Go"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Enable:      []string{"lostcancel", "SA2000"},
		Disable:     []string{"ctxbreak"},
		Vet:         true,
		Staticcheck: true,
		Flags: map[string]map[string]FuncNames{
			"cmdwait":        {"wait-funcs": {"example.com/run.Reap", "(*example.com/run.Group).Wait"}},
			"pipedrain":      {"drain-funcs": {"example.com/io.Drain", "example.com/io.Copy"}, "close-funcs": {"example.com/io.Close"}},
			"defercancel":    {"cancel-funcs": {"example.com/ctx.New"}},
			"handlerrecover": {"recover-funcs": {"example.com/safe.Recover"}, "wrapper-funcs": {"example.com/safe.Go"}},
		},
	}
	if got, want := fmt.Sprintf("%+v", s), fmt.Sprintf("%+v", want); got != want {
		t.Errorf("decoded\n%s\nwant\n%s", got, want)
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		conf conf
		want string
	}{
		{"unknown key", conf{"enabled": []any{"cmdwait"}}, `unknown field "enabled"`},
		{"unknown knob", conf{"cmdwait": conf{"wait-func": []any{"a.B"}}}, `unknown field "wait-func"`},
		{"knob of another analyzer", conf{"cmdwait": conf{"drain-funcs": []any{"a.B"}}}, `unknown field "drain-funcs"`},
		{"dotted key", conf{"cmdwait.wait-funcs": []any{"a.B"}}, `unknown field "cmdwait.wait-funcs"`},
		{"knob not a list", conf{"cmdwait": conf{"wait-funcs": 3}}, "want a list of function names"},
		{"switch not a bool", conf{"vet": "yes"}, "cannot unmarshal string"},
		{"unknown enabled analyzer", conf{"enable": []any{"cmdwiat"}}, `enable: unknown analyzer "cmdwiat"; the analyzers are cmdwait, pipedrain, defercancel, ctxbreak, handlerrecover, cmdcancel, shutdown, lostcancel, httpresponse, sigchanyzer, SA1012, SA1029, SA2000, SA2002, SA1015`},
		{"unknown disabled analyzer", conf{"disable": []any{"govet"}}, `disable: unknown analyzer "govet"`},
		{"linter name", conf{"enable": []any{"lifeguard"}}, `unknown analyzer "lifeguard"`},
		{"enabled and disabled", conf{"enable": []any{"SA2000"}, "disable": []any{"sa2000"}}, "analyzer SA2000 is both enabled and disabled"},
		{"nothing selected", conf{"disable": []any{"cmdwait", "pipedrain", "defercancel", "ctxbreak", "handlerrecover", "cmdcancel", "shutdown"}}, "select no analyzer"},
		{"bad function name", conf{"cmdwait": conf{"wait-funcs": []any{"Reap"}}}, `cmdwait.wait-funcs: bad function name Reap`},
		{"bad method name", conf{"handlerrecover": conf{"wrapper-funcs": []any{"(*example.com/safe.Pool.Go"}}}, `handlerrecover.wrapper-funcs: bad function name (*example.com/safe.Pool.Go`},
		{"empty function name", conf{"pipedrain": conf{"close-funcs": []any{""}}}, "pipedrain.close-funcs: empty function name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.conf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%v) = %v, want an error containing %q", tc.conf, err, tc.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "lifeguard: ") {
				t.Errorf("error %q does not name the plugin", err)
			}
		})
	}
}

func TestSelection(t *testing.T) {
	const own = "cmdwait,pipedrain,defercancel,ctxbreak,handlerrecover,cmdcancel,shutdown"
	for _, tc := range []struct {
		conf conf
		want string
	}{
		{nil, own},
		{conf{}, own},
		{conf{"vet": true}, own + ",lostcancel,httpresponse,sigchanyzer"},
		{conf{"staticcheck": true}, own + ",SA1012,SA1029,SA2000,SA2002,SA1015"},
		{conf{"enable": []any{"SA2000", "lostcancel"}}, own + ",lostcancel,SA2000"},
		{conf{"enable": []any{"sa1012"}}, own + ",SA1012"},
		{conf{"disable": []any{"ctxbreak", "handlerrecover"}}, "cmdwait,pipedrain,defercancel,cmdcancel,shutdown"},
		{conf{"staticcheck": true, "disable": []any{"SA1015"}}, own + ",SA1012,SA1029,SA2000,SA2002"},
		{conf{"vet": true, "disable": []any{"lostcancel", "cmdwait"}}, "pipedrain,defercancel,ctxbreak,handlerrecover,cmdcancel,shutdown,httpresponse,sigchanyzer"},
		{conf{"disable": []any{"cmdwait", "pipedrain", "defercancel", "ctxbreak", "handlerrecover", "cmdcancel", "shutdown"}, "enable": []any{"SA1029"}}, "SA1029"},
	} {
		p := mustNew(t, tc.conf)
		as, err := p.BuildAnalyzers()
		if err != nil {
			t.Fatal(err)
		}
		if got := names(as); got != tc.want {
			t.Errorf("%v: analyzers %s, want %s", tc.conf, got, tc.want)
		}
	}
}

// flagValue is the value of an analyzer's flag as the analyzer sees it.
func flagValue(t *testing.T, analyzer, name string) string {
	t.Helper()
	a := offered().byName(analyzer)
	if a == nil {
		t.Fatalf("no analyzer %s", analyzer)
	}
	f := a.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("analyzer %s has no flag %s", analyzer, name)
	}
	return f.Value.String()
}

func TestKnobsSetAndReplaced(t *testing.T) {
	all := conf{
		"cmdwait":        conf{"wait-funcs": []any{"example.com/run.Reap", "(*example.com/run.Group).Wait"}},
		"pipedrain":      conf{"drain-funcs": "example.com/io.Drain", "close-funcs": []any{"example.com/io.Close"}},
		"defercancel":    conf{"cancel-funcs": []any{"example.com/ctx.New"}},
		"handlerrecover": conf{"recover-funcs": []any{"example.com/safe.Recover"}, "wrapper-funcs": []any{"(example.com/safe.Pool).Go"}},
		"cmdcancel":      conf{"spawners": []any{"make", "npm"}},
	}
	want := map[string]string{
		"cmdcancel.spawners":           "make,npm",
		"cmdwait.wait-funcs":           "example.com/run.Reap,(*example.com/run.Group).Wait",
		"pipedrain.drain-funcs":        "example.com/io.Drain",
		"pipedrain.close-funcs":        "example.com/io.Close",
		"defercancel.cancel-funcs":     "example.com/ctx.New",
		"handlerrecover.recover-funcs": "example.com/safe.Recover",
		"handlerrecover.wrapper-funcs": "(*example.com/safe.Pool).Go", // how FuncList prints a method
	}
	check := func(when string, want map[string]string) {
		t.Helper()
		for key, w := range want {
			analyzer, name, _ := strings.Cut(key, ".")
			if got := flagValue(t, analyzer, name); got != w {
				t.Errorf("%s: -%s is %q, want %q", when, key, got, w)
			}
		}
	}
	empty := map[string]string{}
	for key := range want {
		empty[key] = ""
	}

	mustNew(t, all)
	check("after New", want)
	// Twice: a second instance replaces the lists, it does not add to them.
	mustNew(t, all)
	check("after a second New", want)

	// An instance that sets nothing empties everything.
	bare := mustNew(t, nil)
	check("after New without knobs", empty)

	// A failing New changes nothing.
	p := mustNew(t, all)
	bad := conf{"cmdwait": conf{"wait-funcs": []any{"example.com/ok.Reap"}}, "handlerrecover": conf{"wrapper-funcs": []any{"nodot"}}}
	if _, err := New(bad); err == nil {
		t.Fatal("New with a bad function name succeeded")
	}
	check("after a failed New", want)

	// The instance that builds its analyzers last is the one in force.
	if _, err := bare.BuildAnalyzers(); err != nil {
		t.Fatal(err)
	}
	check("after BuildAnalyzers of the instance without knobs", empty)
	if _, err := p.BuildAnalyzers(); err != nil {
		t.Fatal(err)
	}
	check("after BuildAnalyzers of the instance with knobs", want)
	mustNew(t, nil) // leave nothing behind for the other tests
}

// TestKnobsCoverEveryFlag checks that the settings know every flag of every
// analyzer the plugin offers, and nothing else.
func TestKnobsCoverEveryFlag(t *testing.T) {
	var s Settings
	known := map[string]bool{}
	for _, k := range s.knobs() {
		known[k.String()] = true
	}
	for _, a := range offered().all() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			key := a.Name + "." + f.Name
			if !known[key] {
				t.Errorf("flag -%s has no plugin setting", key)
			}
			delete(known, key)
		})
	}
	for key := range known {
		t.Errorf("setting %s is no analyzer's flag", key)
	}
}

func TestIsStd(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports | packages.NeedTypes, Dir: fixture}, "./internal/proc")
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("load: %v", err)
	}
	if suite.IsStd(pkgs[0].Types.Path()) {
		t.Errorf("%s counts as standard", pkgs[0].PkgPath)
	}
	for _, imp := range pkgs[0].Types.Imports() {
		if !suite.IsStd(imp.Path()) {
			t.Errorf("%s does not count as standard", imp.Path())
		}
	}
	for _, path := range []string{"app/internal/x", "golang.org/x/tools/go/analysis", "internal/nosuch"} {
		if suite.IsStd(path) {
			t.Errorf("%s counts as standard", path)
		}
	}
}

// fixture is the module that the build-and-run test lints with
// golangci-lint; the in-process tests below run the plugin's analyzers on it
// the way golangci-lint does, with the go/analysis checker.
var fixture = filepath.Join("..", "testdata", "golangci")

var loaded = map[string][]*packages.Package{}

// load loads the fixture's packages matching patterns, with everything
// they import from source, as the checker needs for facts; once per test
// binary.
func load(t *testing.T, patterns ...string) []*packages.Package {
	t.Helper()
	key := strings.Join(patterns, " ")
	if pkgs, ok := loaded[key]; ok {
		return pkgs
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: fixture}, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the fixture does not load")
	}
	loaded[key] = pkgs
	return pkgs
}

// run loads the fixture's packages matching patterns and runs the plugin's
// analyzers on them, returning "file:line: analyzer: message" per
// diagnostic.
func run(t *testing.T, p *Plugin, patterns ...string) []string {
	t.Helper()
	analyzers, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(analyzers, load(t, patterns...), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			if len(d.Related) > 0 {
				t.Errorf("%s: %s has related information, which golangci-lint would report as issues of their own", act.Analyzer.Name, d.Message)
			}
			pos := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s:%d: %s: %s", filepath.Base(pos.Filename), pos.Line, act.Analyzer.Name, d.Message))
		}
	}
	slices.Sort(out)
	return out
}

// lines keeps "file:line: analyzer" of each diagnostic.
func lines(diags []string) string {
	var keys []string
	for _, d := range diags {
		file, rest, _ := strings.Cut(d, ": ")
		analyzer, _, _ := strings.Cut(rest, ":")
		keys = append(keys, file+": "+analyzer)
	}
	return strings.Join(keys, "\n")
}

// TestKnobReachesAnalyzer: proc.Reap waits by process id, which cmdwait
// takes for a Wait only when wait-funcs names it.
func TestKnobReachesAnalyzer(t *testing.T) {
	without := run(t, mustNew(t, nil), "./internal/proc")
	if got, want := lines(without), "proc.go:21: cmdwait"; got != want {
		t.Errorf("without wait-funcs:\n%s\nwant\n%s", got, want)
	}
	with := run(t, mustNew(t, conf{"cmdwait": conf{"wait-funcs": []any{"example.com/app/internal/proc.Reap"}}}), "./internal/proc")
	if len(with) > 0 {
		t.Errorf("with wait-funcs naming proc.Reap:\n%s\nwant nothing", strings.Join(with, "\n"))
	}
	mustNew(t, nil)
}

// TestNolintLeftToGolangci: in the plugin the analyzers leave //nolint,
// //nolint:all and //nolint:lifeguard to golangci-lint, and still apply
// //nolint:<analyzer> and //lifeguard:ignore.
func TestNolintLeftToGolangci(t *testing.T) {
	got := lines(run(t, mustNew(t, nil), "./suppressed"))
	want := strings.Join([]string{
		"suppressed.go:14: cmdwait",     // //nolint:lifeguard on the line
		"suppressed.go:24: pipedrain",   // //nolint:lifeguard above
		"suppressed.go:39: defercancel", // //nolint:lifeguard above the for
		"suppressed.go:64: cmdwait",     // //nolint
		"suppressed.go:70: cmdwait",     // //nolint:errcheck
	}, "\n")
	if got != want {
		t.Errorf("diagnostics of ./suppressed:\n%s\nwant (ctxbreak's //nolint:ctxbreak and handlerrecover's //lifeguard:ignore applied):\n%s", got, want)
	}
}

// TestSelectionUnion: an instance's analyzers keep working when another
// instance, built later, selects fewer. Were lifeguard's shared machinery
// told only of the later selection, the bundled lostcancel of the first
// would find that its work was never done.
func TestSelectionUnion(t *testing.T) {
	wide := mustNew(t, conf{"vet": true, "staticcheck": true})
	wideAnalyzers, err := wide.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	narrow := mustNew(t, conf{"disable": []any{"pipedrain", "defercancel", "ctxbreak", "handlerrecover"}})
	if _, err := narrow.BuildAnalyzers(); err != nil {
		t.Fatal(err)
	}
	if names(wideAnalyzers) == "cmdwait" {
		t.Fatal("the instances do not differ")
	}
	graph, err := checker.Analyze(wideAnalyzers, load(t, "./bugs"), nil)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		if act.IsRoot && len(act.Diagnostics) > 0 {
			found[act.Analyzer.Name] = true
		}
	}
	for _, a := range []string{"cmdwait", "pipedrain", "defercancel", "ctxbreak", "handlerrecover", "lostcancel", "SA1012"} {
		if !found[a] {
			t.Errorf("the wide instance's %s reported nothing in ./bugs", a)
		}
	}
}
