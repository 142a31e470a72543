package ownership

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

const sameSrc = `package p

type G struct{ n int }

func (g *G) Go(f func()) {}
func (g *G) Wait()       {}

type S struct{ g, h G; m map[string]func() }

func calls(s *S, k, other string) {
	s.g.Go(nil)
	s.g.Wait()
	s.h.Wait()
	delete(s.m, k)
	delete(s.m, k)
	delete(s.m, other)
	delete(s.m, "x")
	delete(s.m, "x")
}

func joined(s *S) {
	func() { s.g.Wait() }()
	s.g.Wait()
	s.h.Wait()
}
`

// receivers returns the first operand of each static call in fn, in order.
func receivers(fn *ssa.Function) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && len(call.Call.Args) > 0 {
				out = append(out, call.Call.Args[0])
			}
		}
	}
	return out
}

func keys(fn *ssa.Function) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && len(call.Call.Args) == 2 {
				if _, ok := call.Call.Value.(*ssa.Builtin); ok {
					out = append(out, call.Call.Args[1])
				}
			}
		}
	}
	return out
}

func TestSameValue(t *testing.T) {
	pkg := ssatest.Build(t, sameSrc)
	fn := pkg.Func("calls")
	r := receivers(fn)
	if len(r) != 8 {
		t.Fatalf("%d calls, want 8", len(r))
	}
	if !SameValue(r[0], r[1]) {
		t.Error("s.g.Go and s.g.Wait: different receivers")
	}
	if SameValue(r[1], r[2]) {
		t.Error("s.g and s.h: the same receiver")
	}
	if !SameValue(r[3], r[4]) {
		t.Error("two loads of s.m: different maps")
	}
	k := keys(fn)
	if !SameValue(k[0], k[1]) || SameValue(k[1], k[2]) {
		t.Error("keys k, k, other: wrong identity")
	}
	if !SameValue(k[3], k[4]) || SameValue(k[2], k[3]) {
		t.Error(`constant keys "x": wrong identity`)
	}

	// Inside a closure, through its free variable.
	parent := pkg.Func("joined")
	lit := parent.AnonFuncs[0]
	var mc *ssa.MakeClosure
	for _, r := range *lit.Referrers() {
		if m, ok := r.(*ssa.MakeClosure); ok {
			mc = m
		}
	}
	if mc == nil {
		t.Fatal("literal not made")
	}
	outer := func(v ssa.Value) ssa.Value {
		for i, fv := range lit.FreeVars {
			if fv == v {
				return mc.Bindings[i]
			}
		}
		return nil
	}
	in := receivers(lit)[0]
	out := receivers(parent)
	// out[0] is the call of the literal itself (no args): skipped by
	// receivers; out[0], out[1] are s.g.Wait and s.h.Wait.
	if len(out) != 2 {
		t.Fatalf("%d calls with operands in joined, want 2", len(out))
	}
	if !SameValueIn(in, out[0], outer) {
		t.Error("the literal's s.g is not joined's s.g")
	}
	if SameValueIn(in, out[1], outer) {
		t.Error("the literal's s.g is joined's s.h")
	}
	if SameValue(in, out[0]) {
		t.Error("without outer, a free variable matched the value outside")
	}
}
