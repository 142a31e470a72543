// Package analyzertest is what an analyzer's tests share: TestMain with the
// suite configured as the lifeguard command configures it (Main), and
// analyzer flags set for the length of one test (SetFlag).
//
// Analyzer flags are process-wide, and the function-list flags
// (apis.FuncList) append on Set, as repeated command-line flags should: a
// test that sets one and "restores" it with Set("") leaves its functions in
// place for every test after it. SetFlag empties such a list before setting it
// and again before restoring the old value. Tests that use it must not run
// in parallel with tests of the same analyzer.
package analyzertest

import (
	"flag"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

// SetFlag sets the flag name of analyzer a to value for the test t, and restores
// the value it had when t ends (in t.Cleanup). A function-list flag is
// set to exactly value, not to value appended to what it held. An unknown
// flag or a value the flag rejects fails the test at once; the old value
// is restored all the same.
func SetFlag(t testing.TB, a *analysis.Analyzer, name, value string) {
	t.Helper()
	f := a.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("analyzer %s has no flag -%s", a.Name, name)
		return
	}
	old := f.Value.String()
	// Restore even when value is rejected: the list is emptied by then.
	t.Cleanup(func() {
		if err := replace(a, f, old); err != nil {
			t.Errorf("restoring -%s.%s=%s: %v", a.Name, name, old, err)
		}
	})
	if err := replace(a, f, value); err != nil {
		t.Fatalf("-%s.%s=%s: %v", a.Name, name, value, err)
	}
}

// replace sets f to exactly s: a FuncList is emptied first (its String
// form parses back to the same functions).
func replace(a *analysis.Analyzer, f *flag.Flag, s string) error {
	if l, ok := f.Value.(*apis.FuncList); ok {
		l.Reset()
	}
	return a.Flags.Set(f.Name, s)
}
