package config

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestConfig(t *testing.T) {
	t.Cleanup(func() { Set(Config{}) })
	a, b, c := &analysis.Analyzer{Name: "a"}, &analysis.Analyzer{Name: "b"}, &analysis.Analyzer{Name: "c"}
	pkg, other := types.NewPackage("p", "p"), types.NewPackage("q", "q")

	// Unset: everything runs, every package is a root, names unchecked,
	// nobody reports directives no analyzer can act on.
	Set(Config{})
	if !Runs(a) || !IsRoot(pkg) || !KnownName("anything") || ReportsDirectives(a) || Names() != nil {
		t.Errorf("zero Config: Runs %v, IsRoot %v, KnownName %v, ReportsDirectives %v, Names %v",
			Runs(a), IsRoot(pkg), KnownName("anything"), ReportsDirectives(a), Names())
	}

	Set(Config{
		Analyzers:           []*analysis.Analyzer{a, b, c},
		Running:             []*analysis.Analyzer{c, b},
		IsRoot:              func(p *types.Package) bool { return p == pkg },
		DriverAppliesNolint: true,
		OmitRelated:         true,
	})
	if Runs(a) || !Runs(b) || !Runs(c) {
		t.Errorf("Runs: a %v, b %v, c %v; want false, true, true", Runs(a), Runs(b), Runs(c))
	}
	if !IsRoot(pkg) || IsRoot(other) {
		t.Errorf("IsRoot: p %v, q %v; want true, false", IsRoot(pkg), IsRoot(other))
	}
	if !KnownName("a") || KnownName("zombies") {
		t.Errorf("KnownName: a %v, zombies %v; want true, false", KnownName("a"), KnownName("zombies"))
	}
	// The first running analyzer in the suite's order, not Running's.
	if ReportsDirectives(a) || !ReportsDirectives(b) || ReportsDirectives(c) {
		t.Errorf("ReportsDirectives: a %v, b %v, c %v; want only b", ReportsDirectives(a), ReportsDirectives(b), ReportsDirectives(c))
	}
	if !DriverAppliesNolint() || !OmitRelated() {
		t.Errorf("DriverAppliesNolint %v, OmitRelated %v; want both", DriverAppliesNolint(), OmitRelated())
	}
	if got := Names(); len(got) != 3 || got[0] != "a" || got[2] != "c" {
		t.Errorf("Names() = %v, want [a b c]", got)
	}

	// All running: the suite's first analyzer reports them.
	Set(Config{Analyzers: []*analysis.Analyzer{a, b, c}})
	if !ReportsDirectives(a) || ReportsDirectives(b) {
		t.Errorf("all running: ReportsDirectives a %v, b %v; want a only", ReportsDirectives(a), ReportsDirectives(b))
	}
}
