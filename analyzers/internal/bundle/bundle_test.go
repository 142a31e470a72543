package bundle

import (
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/packages"
)

// The bundle shows ctrlflow only the functions that might never return. It
// must find exactly the never-returning functions that ctrlflow finds when
// shown every function: over standard-library packages full of panics,
// fatal loggers, infinite loops and runtime exits, the facts must agree.
func TestNoReturnFactsMatchCtrlflow(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and type-checks a slice of the standard library")
	}
	Wrap(lostcancel.Analyzer, "context") // the bundled analyzer that needs the facts
	cfg := &packages.Config{Mode: packages.LoadAllSyntax}
	pkgs, err := packages.Load(cfg, "log", "testing", "net/http", "go/types", "text/template", "os/exec", "runtime", "flag", "encoding/gob")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages do not load")
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{ctrlflow.Analyzer, Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Facts each action exports for its own package's objects, by
	// package ID.
	exported := map[*analysis.Analyzer]map[string][]string{ctrlflow.Analyzer: {}, Analyzer: {}}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		byPkg := exported[act.Analyzer]
		if byPkg == nil {
			continue
		}
		var names []string
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() == act.Package.Types {
				names = append(names, types.ObjectString(f.Object, nil))
			}
		}
		slices.Sort(names)
		byPkg[act.Package.ID] = names
	}
	total := 0
	for id, want := range exported[ctrlflow.Analyzer] {
		got := exported[Analyzer][id]
		total += len(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: never-returning functions\nbundle:   %s\nctrlflow: %s", id, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	if total < 20 {
		t.Errorf("only %d never-returning functions found: the test compares nothing", total)
	}
	t.Logf("%d packages, %d never-returning functions", len(exported[ctrlflow.Analyzer]), total)
}
