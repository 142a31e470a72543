package cfgpath

import (
	"go/token"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

const branchSrc = `package p

func mark(string) {}

func guarded(a, b bool) {
	if a {
		if !b {
			mark("inner")
		}
		mark("outer")
	}
	mark("join")
}

func seq(yield func(int) bool) {}

func choose(a, b chan int) {
	select {
	case <-a:
		mark("case a")
	case <-b:
		mark("case b")
	}
}

func loops() {
	for range seq {
		for range seq {
			mark("nested body")
		}
	}
}
`

// markCall returns the call mark(label) in fn or the functions nested in it.
func markCall(t *testing.T, fn *ssa.Function, label string) *ssa.Call {
	t.Helper()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 {
				continue
			}
			if k, ok := c.Call.Args[0].(*ssa.Const); ok && k.Value != nil && k.Value.ExactString() == `"`+label+`"` {
				return c
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if c := markCall(t, anon, label); c != nil {
			return c
		}
	}
	return nil
}

type branch struct {
	cond string // the If's condition, by its parameter
	succ int
}

func guards(instr ssa.Instruction) []branch {
	var out []branch
	for ifi, succ := range Guards(instr) {
		cond := ifi.Cond
		if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
			cond = n.X // !b: go/ssa branches on b, swapped
		}
		p, _ := cond.(*ssa.Parameter)
		name := "?"
		if p != nil {
			name = p.Name()
		}
		out = append(out, branch{name, succ})
	}
	return out
}

func TestGuards(t *testing.T) {
	pkg := ssatest.Build(t, branchSrc)
	fn := pkg.Func("guarded")
	for _, tc := range []struct {
		label string
		want  []branch
	}{
		// Innermost first. go/ssa branches on b for !b, with the
		// successors swapped: the inner call runs on b's false branch.
		{"inner", []branch{{"b", 1}, {"a", 0}}},
		{"outer", []branch{{"a", 0}}},
		{"join", nil}, // reached both ways
	} {
		call := markCall(t, fn, tc.label)
		if call == nil {
			t.Fatalf("no mark(%q)", tc.label)
		}
		got := guards(call)
		if len(got) != len(tc.want) {
			t.Errorf("%s: guards %v, want %v", tc.label, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: guards %v, want %v", tc.label, got, tc.want)
			}
		}
	}
	// Branch is the question for one block.
	inner := markCall(t, fn, "inner").Block()
	if ifi, succ, ok := Branch(inner); !ok || succ != 1 || ifi.Block() != inner.Preds[0] {
		t.Errorf("Branch(inner) = %v, %d, %v", ifi, succ, ok)
	}
	if _, _, ok := Branch(fn.Blocks[0]); ok {
		t.Errorf("the entry block has a Branch")
	}
}

func TestRangeFuncBodies(t *testing.T) {
	pkg := ssatest.Build(t, branchSrc)
	fn := pkg.Func("loops")
	body := markCall(t, fn, "nested body").Parent()
	if !IsRangeFuncBody(body) || !IsRangeFuncBody(body.Parent()) {
		t.Fatalf("the loop bodies %s and %s are not range-over-func bodies", body, body.Parent())
	}
	if IsRangeFuncBody(fn) || IsRangeFuncBody(nil) {
		t.Errorf("loops, or nil, is a range-over-func body")
	}
	if got := EnclosingFunc(body); got != fn {
		t.Errorf("EnclosingFunc(nested body) = %s, want loops", got)
	}
	if got := EnclosingFunc(fn); got != fn {
		t.Errorf("EnclosingFunc(loops) = %s", got)
	}
}

func TestSelectCase(t *testing.T) {
	pkg := ssatest.Build(t, branchSrc)
	fn := pkg.Func("choose")
	for k, label := range []string{"case a", "case b"} {
		call := markCall(t, fn, label)
		found := false
		for ifi, succ := range Guards(call) {
			sel, got, ok := SelectCase(ifi.Cond)
			if !ok {
				continue
			}
			found = true
			if succ != 0 || got != k || sel.States[got].Chan != fn.Params[k] {
				t.Errorf("%s: guarded by case %d (branch %d) of %v", label, got, succ, sel)
			}
			break
		}
		if !found {
			t.Errorf("%s: no select case guards it", label)
		}
	}
	if _, _, ok := SelectCase(fn.Params[0]); ok {
		t.Errorf("a parameter is a select case test")
	}
}
