package analyzertest_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

func newAnalyzer() (*analysis.Analyzer, *apis.FuncList, *string) {
	a := &analysis.Analyzer{Name: "toy", Doc: "toy", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	funcs := new(apis.FuncList)
	a.Flags.Var(funcs, "funcs", "functions")
	mode := a.Flags.String("mode", "fast", "a plain string flag")
	return a, funcs, mode
}

// A list set in a test is exactly the value given, and what it held
// before comes back, neither appended to the other.
func TestSetRestoresFuncList(t *testing.T) {
	a, funcs, _ := newAnalyzer()
	if err := a.Flags.Set("funcs", "example.com/p.Before,(*example.com/p.T).Held"); err != nil {
		t.Fatal(err)
	}
	const before = "example.com/p.Before,(*example.com/p.T).Held"
	t.Run("set", func(t *testing.T) {
		analyzertest.SetFlag(t, a, "funcs", "example.com/q.During")
		if got := funcs.String(); got != "example.com/q.During" {
			t.Errorf("during the test: %q, want only the value set", got)
		}
	})
	if got := funcs.String(); got != before {
		t.Errorf("after the test: %q, want %q", got, before)
	}
	t.Run("set empty", func(t *testing.T) {
		analyzertest.SetFlag(t, a, "funcs", "")
		if len(funcs.Funcs) != 0 {
			t.Errorf("during the test: %q, want an empty list", funcs.String())
		}
	})
	if got := funcs.String(); got != before {
		t.Errorf("after the second test: %q, want %q", got, before)
	}
}

func TestSetRestoresPlainFlag(t *testing.T) {
	a, _, mode := newAnalyzer()
	t.Run("set", func(t *testing.T) {
		analyzertest.SetFlag(t, a, "mode", "slow")
		if *mode != "slow" {
			t.Errorf("during the test: %q, want slow", *mode)
		}
	})
	if *mode != "fast" {
		t.Errorf("after the test: %q, want fast", *mode)
	}
}

// fakeTB records what Set reports and runs its cleanups on demand.
type fakeTB struct {
	testing.TB
	fatals   []string
	errors   []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestSetFailsTheTest(t *testing.T) {
	a, funcs, _ := newAnalyzer()
	const held = "example.com/p.Held"
	if err := a.Flags.Set("funcs", held); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"nosuch", "x", "analyzer toy has no flag -nosuch"},
		{"funcs", "notafunc", "-toy.funcs=notafunc: bad function name notafunc"},
	} {
		var tb fakeTB
		analyzertest.SetFlag(&tb, a, tc.name, tc.value)
		if len(tb.fatals) != 1 || !strings.HasPrefix(tb.fatals[0], tc.want) {
			t.Errorf("Set(%s, %s): fatal errors %q, want one starting %q", tc.name, tc.value, tb.fatals, tc.want)
		}
		for _, fn := range tb.cleanups {
			fn()
		}
		if len(tb.errors) != 0 {
			t.Errorf("Set(%s, %s): cleanup errors %q", tc.name, tc.value, tb.errors)
		}
		if got := funcs.String(); got != held {
			t.Errorf("after Set(%s, %s) failed and the test ended: %q, want %q", tc.name, tc.value, got, held)
		}
	}
}
