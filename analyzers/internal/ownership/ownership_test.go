package ownership

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

// The programs are small and import nothing: ownership does not care what
// a resource is. mk makes one; the uses are what the functions do with it.
const src = `package p

type R struct{ n int }

func (r *R) Close() error { return nil }

type Closer interface{ Close() error }

func mk() *R          { return &R{} }
func mk2() (*R, bool) { return &R{}, true }
func use(r *R)        {}
func useAny(x any)    {}
func logf(format string, args ...any) {}

var global *R
var ch = make(chan *R, 1)
var chans = make(chan chan *R, 1)
var m = map[string]*R{}

func kinds(c bool) bool {
	r := mk()
	use(r)
	r.Close()
	go use(r)
	defer use(r)
	global = r
	ch <- r
	m["k"] = r
	_ = r.n
	if c {
		return r == nil
	}
	logf("%v", r)
	return false
}

func flows(c bool) {
	r := mk()
	var x Closer = r
	if c {
		x = nil
	}
	y := x.(*R)
	z, ok := x.(*R)
	if ok {
		use(z)
	}
	use(y)
}

func returned() *R { return mk() }

func captured() func() {
	r := mk()
	return func() { use(r) }
}

func reassigned() {
	r := mk()
	use(r)
	f := func() { useAny(r) }
	r = mk()
	r.Close()
	f()
}

func cellAddr() {
	r := mk()
	func() {
		p := &r
		useAny(p)
	}()
}

func escapes() {
	r := mk()
	p := &r
	useAny(p)
}

func merged(c bool) {
	a := mk()
	var x *R
	if c {
		x = a
	} else {
		x = &R{}
	}
	use(x)
}

func stores(c bool) {
	var r *R
	if c {
		r = mk()
	} else {
		r = returned()
	}
	func() { use(r) }()
}

func nested() {
	r := mk()
	func() {
		func() { use(r) }()
	}()
}

func loop(n int) *R {
	r := mk()
	for i := 0; i < n; i++ {
		r = pick(r)
	}
	return r
}

func pick(r *R) *R { return r }

func comma(x any) *R {
	r, _ := x.(*R)
	return r
}

func bound() func() error {
	r := mk()
	return r.Close
}
`

func build(t *testing.T) *ssa.Package { return ssatest.Build(t, src) }

// calls returns the calls of the named function in fn and its closures.
func calls(fn *ssa.Function, name string) []*ssa.Call {
	var out []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == name {
					out = append(out, c)
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		out = append(out, calls(anon, name)...)
	}
	return out
}

func root(t *testing.T, pkg *ssa.Package, fn string) (*ssa.Function, *ssa.Call) {
	t.Helper()
	f := pkg.Func(fn)
	if f == nil {
		t.Fatalf("no function %s", fn)
	}
	mks := calls(f, "mk")
	if len(mks) == 0 {
		t.Fatalf("%s calls no mk", fn)
	}
	return f, mks[0]
}

var kindNames = map[UseKind]string{
	Call: "call", Go: "go", Defer: "defer", Return: "return", Store: "store",
	Send: "send", Capture: "capture", Field: "field", Compare: "compare", Other: "other",
}

// describe gives a use as "kind callee#arg" (calls) or "kind Instr".
func describe(u Use) string {
	s := kindNames[u.Kind]
	switch {
	case u.Common != nil:
		name := "?"
		if u.Common.IsInvoke() {
			name = u.Common.Method.Name()
		} else if callee := u.Common.StaticCallee(); callee != nil {
			name = callee.Name()
		}
		s += fmt.Sprintf(" %s#%d", name, u.Arg)
		if u.Variadic {
			s += " variadic"
		}
	case u.Kind == Capture:
		s += " " + u.Closure.Name()
		if u.FreeVar != nil {
			s += "/" + u.FreeVar.Name()
		}
	default:
		s += " " + strings.Fields(fmt.Sprintf("%T", u.Instr))[0]
	}
	if u.OfCell {
		s += " of-cell"
	}
	return s
}

func describeAll(uses []Use) []string {
	var out []string
	for _, u := range uses {
		out = append(out, describe(u))
	}
	slices.Sort(out)
	return out
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

func TestUseKinds(t *testing.T) {
	pkg := build(t)
	_, r := root(t, pkg, "kinds")
	same(t, "uses of r in kinds", describeAll(Uses(r)), []string{
		"call use#0",
		"call Close#0", // a static method call: the receiver is argument 0
		"go use#0",
		"defer use#0",
		"store *ssa.Store", // global = r
		"send *ssa.Send",
		"store *ssa.MapUpdate",
		"field *ssa.FieldAddr", // r.n
		"compare *ssa.BinOp",
		"call logf#1 variadic", // packed into the ... slice
	})
}

func TestFlowThroughCopies(t *testing.T) {
	pkg := build(t)
	_, r := root(t, pkg, "flows")
	// Through the conversion to Closer, the φ-node with nil, the
	// assertion back and the value result of the comma-ok one.
	same(t, "uses of r in flows", describeAll(Uses(r)), []string{"call use#0", "call use#0"})

	_, r = root(t, pkg, "returned")
	same(t, "uses of r in returned", describeAll(Uses(r)), []string{"return *ssa.Return"})
}

func TestCaptures(t *testing.T) {
	pkg := build(t)
	_, r := root(t, pkg, "captured")
	got := Uses(r)
	same(t, "uses of r in captured", describeAll(got), []string{"capture captured$1/r"})
	// What the closure does with the variable: CellUses of its free
	// variable.
	same(t, "uses inside the closure", describeAll(CellUses(got[0].FreeVar)), []string{"call use#0"})

	_, r = root(t, pkg, "bound")
	// A method value binds the receiver itself, not a variable's cell.
	same(t, "uses of r in bound", describeAll(Uses(r)), []string{"capture Close$bound/recv"})
	// Entered, its free variable is followed as the value: the wrapper
	// calls the method on it.
	var inside []Use
	w := Walker{Use: func(u Use) { inside = append(inside, u) }, Enter: func(Use) bool { return true }}
	w.Value(r)
	same(t, "uses of r, the method value entered", describeAll(inside), []string{"call Close#0"})
}

// A variable assigned twice: what the first store is followed to stops at
// the second. The closure made between them can see both.
func TestReassignedVariable(t *testing.T) {
	pkg := build(t)
	fn, _ := root(t, pkg, "reassigned")
	mks := calls(fn, "mk")
	if len(mks) != 2 {
		t.Fatalf("want 2 calls of mk, got %d", len(mks))
	}
	same(t, "uses of the first r", describeAll(Uses(mks[0])), []string{"call use#0", "capture reassigned$1/r"})
	same(t, "uses of the second r", describeAll(Uses(mks[1])), []string{"call Close#0", "capture reassigned$1/r"})
}

func TestLocalCells(t *testing.T) {
	pkg := build(t)
	_, r := root(t, pkg, "escapes")
	// &r leaves the function: r is stored into memory that is not a
	// local variable's, a hand-off.
	uses := Uses(r)
	same(t, "uses of r in escapes", describeAll(uses), []string{"store *ssa.Store"})
	if st, ok := uses[0].Instr.(*ssa.Store); !ok || IsLocalCell(st.Addr) {
		t.Errorf("the variable whose address is taken is a local cell")
	}

	_, r = root(t, pkg, "cellAddr")
	// Inside a closure, &r is the free variable itself, given away.
	uses = Uses(r)
	same(t, "uses of r in cellAddr", describeAll(uses), []string{"capture cellAddr$1/r"})
	same(t, "uses inside the closure", describeAll(CellUses(uses[0].FreeVar)), []string{"other *ssa.MakeInterface of-cell"})
}

func TestWalkerEntersClosures(t *testing.T) {
	pkg := build(t)
	_, r := root(t, pkg, "nested")
	var got []Use
	var entered []string
	w := Walker{
		Use: func(u Use) { got = append(got, u) },
		Enter: func(u Use) bool {
			entered = append(entered, u.Closure.Name())
			return true
		},
	}
	w.Value(r)
	same(t, "uses of r, closures entered", describeAll(got), []string{"call use#0"})
	same(t, "closures entered", entered, []string{"nested$1", "nested$1$1"})
	if fn := got[0].Instr.Parent(); fn.Name() != "nested$1$1" {
		t.Errorf("the use is in %s, want nested$1$1", fn.Name())
	}

	// Without Enter the walk stops at the capture.
	same(t, "uses of r", describeAll(Uses(r)), []string{"capture nested$1/r"})
}

func TestWalkerMerge(t *testing.T) {
	pkg := build(t)
	merges := func(v ssa.Value) []string {
		var out []string
		w := Walker{
			Use: func(Use) {},
			Merge: func(others []ssa.Value) {
				for _, o := range others {
					out = append(out, fmt.Sprintf("%T", o))
				}
			},
			Enter: func(Use) bool { return true },
		}
		w.Value(v)
		slices.Sort(out)
		return out
	}
	// x = a or x = &R{}: a φ-node.
	_, a := root(t, pkg, "merged")
	same(t, "merged with", merges(a), []string{"*ssa.Alloc"})
	// r = mk() or r = returned(), in a captured variable: the other store.
	_, r := root(t, pkg, "stores")
	same(t, "stored with", merges(r), []string{"*ssa.Call"})
	// The φ-node of a loop: its back edge is a call's result.
	_, r = root(t, pkg, "loop")
	same(t, "looped with", merges(r), []string{"*ssa.Call"})
}

func TestOrigins(t *testing.T) {
	pkg := build(t)
	origins := func(v ssa.Value) []string {
		var out []string
		Origins(v, map[ssa.Value]bool{}, func(o ssa.Value) bool {
			switch o := o.(type) {
			case *ssa.Call:
				out = append(out, "call "+o.Call.StaticCallee().Name())
			case *ssa.Const:
				out = append(out, "const "+o.String())
			default:
				out = append(out, fmt.Sprintf("%T", o))
			}
			return true
		})
		slices.Sort(out)
		return out
	}
	argOf := func(fn *ssa.Function, callee string) ssa.Value {
		t.Helper()
		cs := calls(fn, callee)
		if len(cs) == 0 {
			t.Fatalf("%s calls no %s", fn.Name(), callee)
		}
		return cs[len(cs)-1].Call.Args[0]
	}

	fn := pkg.Func("merged")
	same(t, "origins of x in merged", origins(argOf(fn, "use")), []string{"*ssa.Alloc", "call mk"})

	// Through the load of a captured variable in a closure, to the
	// stores in the function that made it.
	fn = pkg.Func("stores")
	same(t, "origins of r in the closure of stores", origins(argOf(fn, "use")), []string{"call mk", "call returned"})

	fn = pkg.Func("nested")
	same(t, "origins of r two closures deep", origins(argOf(fn, "use")), []string{"call mk"})

	// The loop's φ-node is its own edge's origin (through pick's
	// result, a call): the cycle ends.
	fn = pkg.Func("loop")
	var rv ssa.Value
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rv = r.Results[0]
		}
	}
	same(t, "origins of the loop's result", origins(rv), []string{"call mk", "call pick"})

	// The value result of a comma-ok assertion is a copy of what is
	// asserted: here the parameter.
	fn = pkg.Func("comma")
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			same(t, "origins of a comma-ok assertion", origins(r.Results[0]), []string{"*ssa.Parameter"})
		}
	}

	// yield returning false stops the walk.
	n := 0
	if Origins(argOf(pkg.Func("merged"), "use"), map[ssa.Value]bool{}, func(ssa.Value) bool { n++; return false }) || n != 1 {
		t.Errorf("Origins went on after yield returned false (%d calls)", n)
	}
}

func TestBindingsAndStoredValues(t *testing.T) {
	pkg := build(t)
	fn := pkg.Func("stores")
	inner := fn.AnonFuncs[0]
	if len(inner.FreeVars) != 1 {
		t.Fatalf("the closure of stores has %d free variables", len(inner.FreeVars))
	}
	fv := inner.FreeVars[0]
	b := Bindings(fv)
	if len(b) != 1 {
		t.Fatalf("Bindings: got %d values, want 1", len(b))
	}
	if _, ok := b[0].(*ssa.Alloc); !ok {
		t.Errorf("the binding is a %T, want the variable's *ssa.Alloc", b[0])
	}
	if got := len(StoredValues(fv)); got != 2 {
		t.Errorf("StoredValues of the free variable: got %d, want the 2 stores of the variable", got)
	}
	if got := len(StoredValues(b[0])); got != 2 {
		t.Errorf("StoredValues of the variable: got %d, want 2", got)
	}
}

const keptSrc = `package p

type R struct{}

func (*R) Use() {}

func mk() *R { return &R{} }

type holder struct{ r *R }

type T struct{ R *R }

var global *R

func field(h *holder)     { h.r = mk() }
func toGlobal()           { global = mk() }
func returned() *R        { return mk() }
func sent(c chan<- *R)    { c <- mk() }
func inKeptLiteral(h *holder) { t := &T{R: mk()}; h.r = t.R }
func literalKept(out *[]*T)   { *out = append(*out, &T{R: mk()}) }
func literalReturned() *T     { return &T{R: mk()} }
func usedNow()                { mk().Use() }
func literalRead()            { t := &T{R: mk()}; t.R.Use() }
func inLocalSlice()           { for _, r := range []*R{mk()} { r.Use() } }
func discarded()              { _ = mk() }
`

// OnlyKept: a value handed off into storage that outlives the function's
// use of it, and used for nothing now.
func TestOnlyKept(t *testing.T) {
	pkg := ssatest.Build(t, keptSrc)
	for name, want := range map[string]bool{
		"field": true, "toGlobal": true, "returned": true, "sent": true,
		"literalReturned": true,
		"inKeptLiteral":   false, // the literal's field is read
		"literalKept":     false, // the literal goes to append: a call
		"usedNow":         false,
		"literalRead":     false,
		"inLocalSlice":    false,
		"discarded":       false,
	} {
		fn := pkg.Func(name)
		var made ssa.Value
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if c, ok := in.(*ssa.Call); ok && c.Call.StaticCallee() != nil && c.Call.StaticCallee().Name() == "mk" {
					made = c
				}
			}
		}
		if made == nil {
			t.Fatalf("%s: no call of mk", name)
		}
		if got := OnlyKept(made); got != want {
			t.Errorf("OnlyKept(mk() in %s) = %v, want %v", name, got, want)
		}
	}
}
