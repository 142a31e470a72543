package cfgpath

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

// The tests build SSA from small programs. A line that ends in a comment
// "// @name" is marked name: prog.line(name) is its number, and the
// instructions found are checked by the lines they are on.

type prog struct {
	t     *testing.T
	pkg   *ssa.Package
	marks map[string]int
}

// build type-checks src (a file of package p, importing only the standard
// library) and builds its SSA.
func build(t *testing.T, src string) *prog {
	t.Helper()
	pkg := ssatest.Build(t, src)
	p := &prog{t: t, pkg: pkg, marks: map[string]int{}}
	for i, line := range strings.Split(src, "\n") {
		if _, mark, ok := strings.Cut(line, "// @"); ok {
			p.marks[strings.TrimSpace(mark)] = i + 1
		}
	}
	return p
}

func (p *prog) fn(name string) *ssa.Function {
	p.t.Helper()
	fn := p.pkg.Func(name)
	if fn == nil {
		p.t.Fatalf("no function %s", name)
	}
	return fn
}

func (p *prog) line(mark string) int {
	p.t.Helper()
	n, ok := p.marks[mark]
	if !ok {
		p.t.Fatalf("no line marked @%s", mark)
	}
	return n
}

// lineOf returns the line of instr, 0 for nil or an instruction without a
// position.
func lineOf(instr ssa.Instruction) int {
	if instr == nil || !instr.Pos().IsValid() {
		return 0
	}
	return ssatest.Fset.Position(instr.Pos()).Line
}

// callee names what a call calls: a function, a method or a builtin.
func callee(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return c.Method.Name()
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		return v.Name()
	case *ssa.Builtin:
		return v.Name()
	}
	return ""
}

// call returns the call of name on the line marked mark, in fn.
func (p *prog) call(fn *ssa.Function, name, mark string) *ssa.Call {
	p.t.Helper()
	want := p.line(mark)
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok && callee(&c.Call) == name && lineOf(c) == want {
				return c
			}
		}
	}
	p.t.Fatalf("%s: no call of %s on line %d (@%s)", fn.Name(), name, want, mark)
	return nil
}

// calls returns a Stop or End matching every call of name.
func calls(name string) func(ssa.Instruction) bool {
	return func(in ssa.Instruction) bool {
		c, ok := in.(ssa.CallInstruction)
		return ok && callee(c.Common()) == name
	}
}

// wantLine checks that got is the instruction of type T on the line marked
// mark; mark "" wants nil.
func (p *prog) wantLine(what string, got ssa.Instruction, mark string) {
	p.t.Helper()
	if mark == "" {
		if got != nil {
			p.t.Errorf("%s: got %T %v at line %d, want nil", what, got, got, lineOf(got))
		}
		return
	}
	if got == nil {
		p.t.Errorf("%s: got nil, want an instruction at line %d (@%s)", what, p.line(mark), mark)
		return
	}
	if l := lineOf(got); l != p.line(mark) {
		p.t.Errorf("%s: got %T %v at line %d, want line %d (@%s)", what, got, got, l, p.line(mark), mark)
	}
}

const searchSrc = `package p

func acquire() error
func release()
func use()

func oneBranch(c bool) {
	acquire() // @acquire
	if c {
		release()
		return
	}
	return // @leak
}

func bothBranches(c bool) {
	acquire() // @acquire2
	if c {
		release()
		return
	}
	release()
}

func useFirst() {
	acquire() // @acquire3
	use()     // @use
	release()
}

func releaseFirst() {
	acquire() // @acquire4
	release()
	use()
}

func sameBlock() {
	release()
	acquire() // @acquire5
	return    // @after
}

func loop(n int) {
	for i := 0; i < n; i++ {
		acquire() // @acquire6
		if i%2 == 0 {
			continue
		}
		release()
	}
}

func withPanic(c bool) {
	acquire() // @acquire7
	if c {
		panic("no")
	}
	release()
}
`

func TestFromStopsAndReturns(t *testing.T) {
	p := build(t, searchSrc)
	s := &Search{Stop: calls("release")}

	got := s.From(p.call(p.fn("oneBranch"), "acquire", "acquire"))
	p.wantLine("oneBranch", got, "leak")
	if _, ok := got.(*ssa.Return); !ok {
		t.Errorf("oneBranch: got %T, want the *ssa.Return", got)
	}
	p.wantLine("bothBranches", s.From(p.call(p.fn("bothBranches"), "acquire", "acquire2")), "")

	// The search starts just after the instruction: a Stop before it, in
	// the same block, does not count.
	p.wantLine("sameBlock", s.From(p.call(p.fn("sameBlock"), "acquire", "acquire5")), "after")

	// A panic is a dead end, not a leak.
	p.wantLine("withPanic", s.From(p.call(p.fn("withPanic"), "acquire", "acquire7")), "")

	// IgnoreReturns: returns are dead ends too.
	s.IgnoreReturns = true
	p.wantLine("oneBranch, IgnoreReturns", s.From(p.call(p.fn("oneBranch"), "acquire", "acquire")), "")
}

func TestFromEnds(t *testing.T) {
	p := build(t, searchSrc)
	s := &Search{Stop: calls("release"), End: calls("use")}
	p.wantLine("useFirst", s.From(p.call(p.fn("useFirst"), "acquire", "acquire3")), "use")
	// The Stop comes first on every path: releaseFirst's use is not reached.
	p.wantLine("releaseFirst", s.From(p.call(p.fn("releaseFirst"), "acquire", "acquire4")), "")

	// Round the loop: the path from acquire back to acquire through
	// continue ends at acquire itself ("before the next iteration").
	fn := p.fn("loop")
	acq := p.call(fn, "acquire", "acquire6")
	loop := &Search{
		Stop:          calls("release"),
		End:           func(in ssa.Instruction) bool { return in == acq },
		IgnoreReturns: true,
	}
	if got := loop.From(acq); got != acq {
		t.Errorf("loop: got %v at line %d, want the acquire call itself", got, lineOf(got))
	}
}

const errorSrc = `package p

func open() (int, error)
func start() error
func closeFd(int)
func count() (int, int)

func checked() error {
	fd, err := open() // @open
	if err != nil {
		return err // @errReturn
	}
	closeFd(fd)
	return nil
}

func checkedEqual() error {
	fd, err := open() // @open2
	if err == nil {
		closeFd(fd)
		return nil
	}
	return err // @errReturn2
}

func onlyError() error {
	if err := start(); err != nil { // @start
		return err // @errReturn3
	}
	closeFd(0)
	return nil
}

func leaksAfterCheck() error {
	fd, err := open() // @open3
	if err != nil {
		return err
	}
	if fd > 2 {
		return nil // @leak3
	}
	closeFd(fd)
	return nil
}

// err is a named result spilled to memory (the function has a defer): the
// check compares a load of the cell the error was just stored in.
func namedResult() (err error) {
	defer closeFd(1)
	if err = start(); err == nil { // @start2
		closeFd(0)
		return nil
	}
	return err // @errReturn4
}

func note()

// A branch and a call between the call and its check (x/tools'
// gocommand.runCmdContext closes a pipe end there): no closure can reach
// err, so the load still reads the call's error.
func namedAcrossBlocks(w bool) (err error) {
	defer closeFd(1)
	err = start() // @start4
	if w {
		note()
	}
	if err != nil {
		return err // @errReturn6
	}
	closeFd(0)
	return nil
}

// A closure can store to err, and a call in between may run it.
func capturedCell(w bool) (err error) {
	set := func() { err = nil }
	defer closeFd(1)
	err = start() // @start5
	set()
	if err != nil {
		return err // @errReturn7
	}
	closeFd(0)
	return nil
}

// The cell is stored again before the check: the check is not of the
// call's error.
func storedAgain(other error) (err error) {
	defer closeFd(1)
	err = start() // @start3
	err = other
	if err == nil {
		closeFd(0)
		return nil
	}
	return err // @errReturn5
}

func noError() int {
	a, b := count() // @count
	if b != 0 {
		return a // @countReturn
	}
	closeFd(a)
	return 0
}
`

func TestErrorEdges(t *testing.T) {
	p := build(t, errorSrc)
	for _, tc := range []struct {
		fn, callee, mark string
		unpruned, pruned string
	}{
		{"checked", "open", "open", "errReturn", ""},
		{"checkedEqual", "open", "open2", "errReturn2", ""},
		{"onlyError", "start", "start", "errReturn3", ""},
		{"leaksAfterCheck", "open", "open3", "", "leak3"},
		{"noError", "count", "count", "countReturn", "countReturn"},
		{"namedResult", "start", "start2", "errReturn4", ""},
		{"storedAgain", "start", "start3", "errReturn5", "errReturn5"},
		{"namedAcrossBlocks", "start", "start4", "errReturn6", ""},
		{"capturedCell", "start", "start5", "errReturn7", "errReturn7"},
	} {
		call := p.call(p.fn(tc.fn), tc.callee, tc.mark)
		plain := &Search{Stop: calls("closeFd")}
		got := plain.From(call)
		if tc.unpruned != "" {
			p.wantLine(tc.fn+" without pruning", got, tc.unpruned)
		}
		pruned := &Search{Stop: calls("closeFd"), Pruned: ErrorEdges(call)}
		p.wantLine(tc.fn+" with ErrorEdges", pruned.From(call), tc.pruned)
	}
}

// ErrorEdges cuts exactly the branch of the error check: in checked the
// true edge of "err != nil", in checkedEqual the false edge of "err == nil".
func TestErrorEdgesBranch(t *testing.T) {
	p := build(t, errorSrc)
	for _, tc := range []struct {
		fn, mark string
		cut      int
	}{
		{"checked", "open", 0},
		{"checkedEqual", "open2", 1},
	} {
		fn := p.fn(tc.fn)
		pruned := ErrorEdges(p.call(fn, "open", tc.mark))
		var edges []string
		for _, b := range fn.Blocks {
			for i := range b.Succs {
				if pruned(b, i) {
					edges = append(edges, fmt.Sprintf("%d->%d", b.Index, b.Succs[i].Index))
					if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); !ok || i != tc.cut {
						t.Errorf("%s: cut edge %d of block %d, want edge %d of the if", tc.fn, i, b.Index, tc.cut)
					}
				}
			}
		}
		if len(edges) != 1 {
			t.Errorf("%s: cut edges %v, want exactly one", tc.fn, edges)
		}
	}
}

func TestUnion(t *testing.T) {
	a := func(b *ssa.BasicBlock, i int) bool { return i == 0 }
	b := func(b *ssa.BasicBlock, i int) bool { return i == 2 }
	u := Union(a, nil, b)
	for i, want := range []bool{true, false, true} {
		if got := u(nil, i); got != want {
			t.Errorf("Union(...)(nil, %d) = %v, want %v", i, got, want)
		}
	}
	if Union()(nil, 0) {
		t.Error("Union() prunes an edge")
	}
}

const noReturnSrc = `package p

import (
	"log"
	"os"
	"runtime"
	"testing"
)

func acquire()
func release()

type logger struct{}

func (logger) Fatalf(string, ...any) {}

type fataler interface{ Fatal(...any) }

func die(msg string) { panic(msg) }

func exitVia() { exitNow() }

func exitNow() { os.Exit(2) }

func loopForever() {
	for {
	}
}

func mayReturn(c bool) {
	if c {
		os.Exit(1)
	}
}

func ping(n int) { pong(n - 1) }

func pong(n int) {
	if n == 0 {
		os.Exit(0)
	}
	ping(n)
}

func calls(c int, t *testing.T, l logger, f fataler) {
	acquire() // @acquire
	switch c {
	case 0:
		os.Exit(1) // @osExit
	case 1:
		log.Fatal("x") // @logFatal
	case 2:
		t.FailNow() // @failNow
	case 3:
		die("x") // @die
	case 4:
		exitVia() // @exitVia
	case 5:
		l.Fatalf("x") // @methodFatal
	case 6:
		f.Fatal("x") // @invokeFatal
	case 7:
		runtime.Goexit() // @goexit
	case 8:
		log.Panicf("x") // @logPanic
	case 9:
		t.Skip("x") // @skip
	case 10:
		loopForever() // @loopForever
	case 11:
		mayReturn(true) // @mayReturn
	case 12:
		ping(3) // @ping
	case 13:
		t.Log("x") // @log
	}
	release()
}
`

func TestNeverReturns(t *testing.T) {
	p := build(t, noReturnSrc)
	var funcs []*ssa.Function
	for _, m := range p.pkg.Members {
		if fn, ok := m.(*ssa.Function); ok {
			funcs = append(funcs, fn)
		}
	}
	g := NewGraph(funcs)
	fn := p.fn("calls")
	for _, tc := range []struct {
		callee, mark string
		// graph: with the package's Graph; std: with a nil Graph, which
		// knows only the standard exits and Fatal* names.
		graph, std bool
	}{
		{"Exit", "osExit", true, true},
		{"Fatal", "logFatal", true, true},
		{"FailNow", "failNow", true, true},
		{"die", "die", true, false},
		{"exitVia", "exitVia", true, false}, // exitVia calls exitNow calls os.Exit
		{"Fatalf", "methodFatal", true, true},
		{"Fatal", "invokeFatal", true, true},
		{"Goexit", "goexit", true, true},
		{"Panicf", "logPanic", true, true},
		{"Skip", "skip", true, true},
		{"loopForever", "loopForever", true, false},
		{"mayReturn", "mayReturn", false, false},
		// ping and pong call each other, and only pong's os.Exit ends
		// them: they never return, but NewGraph starts from "every
		// function returns" and a call of the other one is taken to
		// return, so neither is found. A path through them is searched
		// (at worst a finding too many, never one too few).
		{"ping", "ping", false, false},
		{"Log", "log", false, false},
	} {
		c := p.call(fn, tc.callee, tc.mark)
		if got := g.NeverReturns(&c.Call); got != tc.graph {
			t.Errorf("Graph.NeverReturns(%s at line %d) = %v, want %v", tc.callee, lineOf(c), got, tc.graph)
		}
		if got := (*Graph)(nil).NeverReturns(&c.Call); got != tc.std {
			t.Errorf("(*Graph)(nil).NeverReturns(%s at line %d) = %v, want %v", tc.callee, lineOf(c), got, tc.std)
		}
	}
	for name, want := range map[string]bool{
		"die": true, "exitVia": true, "exitNow": true, "loopForever": true,
		"mayReturn": false, "ping": false, "pong": false, "calls": false, "acquire": false,
	} {
		if got := g.noReturn[p.fn(name)]; got != want {
			t.Errorf("NewGraph: %s never returns: %v, want %v", name, got, want)
		}
	}
}

// A path through a call that never returns ends without breaking the rule:
// each function via<N> acquires, runs one statement and releases. The
// search from acquire to release finds release only past statements that
// return.
func TestFromNeverReturns(t *testing.T) {
	stmts := []struct {
		stmt    string
		returns bool
	}{
		{"os.Exit(1)", false},
		{"log.Fatal(1)", false},
		{"t.FailNow()", false},
		{"t.Fatalf(\"x\")", false},
		{"die(\"x\")", false},
		{"exitVia()", false},
		{"l.Fatalf(\"x\")", false},
		{"f.Fatal(1)", false},
		{"runtime.Goexit()", false},
		{"log.Panicf(\"x\")", false},
		{"t.Skip()", false},
		{"loopForever()", false},
		{"panic(1)", false},
		{"mayReturn(true)", true},
		{"ping(3)", true}, // see TestNeverReturns
		{"t.Log(1)", true},
	}
	var src strings.Builder
	src.WriteString(strings.Replace(noReturnSrc, "func calls(", "func unused(", 1))
	for i, s := range stmts {
		fmt.Fprintf(&src, "\nfunc via%d(t *testing.T, l logger, f fataler) {\n\tacquire()\n\t%s\n\trelease()\n}\n", i, s.stmt)
	}
	p := build(t, src.String())
	var funcs []*ssa.Function
	for _, m := range p.pkg.Members {
		if fn, ok := m.(*ssa.Function); ok {
			funcs = append(funcs, fn)
		}
	}
	g := NewGraph(funcs)
	for i, st := range stmts {
		fn := p.fn(fmt.Sprintf("via%d", i))
		var acq ssa.Instruction
		for _, in := range fn.Blocks[0].Instrs {
			if c, ok := in.(*ssa.Call); ok && callee(&c.Call) == "acquire" {
				acq = c
			}
		}
		s := &Search{End: calls("release"), IgnoreReturns: true}
		got := g.From(s, acq)
		if (got != nil) != st.returns {
			t.Errorf("acquire; %s; release: release reached: %v, want %v", st.stmt, got != nil, st.returns)
		}
		if got != nil && callee(got.(*ssa.Call).Common()) != "release" {
			t.Errorf("acquire; %s; release: ended at %v, want the release call", st.stmt, got)
		}
	}
}

const failsTestSrc = `package p

import "testing"

func acquire() error
func release()

func TestErrors(t *testing.T, c int) {
	acquire() // @acquire
	switch c {
	case 0:
		t.Error("x") // @error
		return
	case 1:
		t.Errorf("x") // @errorf
		return
	case 2:
		t.Fail() // @fail
		return
	case 3:
		t.Log("x") // @log
		return // @logReturn
	}
	release()
}

func BenchmarkErrors(b *testing.B) {
	acquire() // @acquireB
	b.Error("x") // @benchError
}
`

func TestFailsTest(t *testing.T) {
	p := build(t, failsTestSrc)
	fn := p.fn("TestErrors")
	for _, tc := range []struct {
		callee, mark string
		want         bool
	}{
		{"Error", "error", true},
		{"Errorf", "errorf", true},
		{"Fail", "fail", true},
		{"Log", "log", false},
	} {
		c := p.call(fn, tc.callee, tc.mark)
		if got := failsTest(&c.Call); got != tc.want {
			t.Errorf("failsTest(t.%s) = %v, want %v", tc.callee, got, tc.want)
		}
	}
	if c := p.call(p.fn("BenchmarkErrors"), "Error", "benchError"); !failsTest(&c.Call) {
		t.Error("failsTest(b.Error) = false, want true")
	}
	// Paths through t.Error, t.Errorf and t.Fail are not searched: the only
	// leak is t.Log's return.
	s := &Search{Stop: calls("release")}
	p.wantLine("TestErrors", s.From(p.call(fn, "acquire", "acquire")), "logReturn")
	p.wantLine("BenchmarkErrors", s.From(p.call(p.fn("BenchmarkErrors"), "acquire", "acquireB")), "")
}

const orderSrc = `package p

func a()
func b()
func c()
func d()

func straight(x bool) {
	a() // @a
	b() // @b
	if x {
		c() // @c
	} else {
		d() // @d
	}
	b() // @b2
}

func loop(n int) {
	for i := 0; i < n; i++ {
		a() // @la
		if i == 3 {
			b() // @lb
			continue
		}
		c() // @lc
	}
	d() // @ld
}
`

type reachCase struct {
	name     string
	from, to ssa.Instruction
	avoid    func(ssa.Instruction) bool
	want     bool
}

func checkReaches(t *testing.T, cases []reachCase) {
	t.Helper()
	for _, tc := range cases {
		if got := Reaches(tc.from, tc.to, tc.avoid); got != tc.want {
			t.Errorf("Reaches(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReachesAndPrecedes(t *testing.T) {
	p := build(t, orderSrc)
	fn := p.fn("straight")
	a, b, cc, d, b2 := p.call(fn, "a", "a"), p.call(fn, "b", "b"), p.call(fn, "c", "c"), p.call(fn, "d", "d"), p.call(fn, "b", "b2")
	none := func(ssa.Instruction) bool { return false }
	checkReaches(t, []reachCase{
		{"a to b", a, b, none, true},
		{"a to c", a, cc, none, true},
		{"b to a", b, a, none, false},
		{"c to d", cc, d, none, false},
		{"c to b2", cc, b2, none, true},
		{"a to b2 avoiding c and d", a, b2, func(in ssa.Instruction) bool { return in == cc || in == d }, false},
		{"a to b2 avoiding c", a, b2, func(in ssa.Instruction) bool { return in == cc }, true},
		{"a to a", a, a, none, false},
		{"a to d, nil avoid", a, d, nil, true},
	})
	for _, tc := range []struct {
		name string
		x, y ssa.Instruction
		want bool
	}{
		{"a before b, one block", a, b, true},
		{"b before a", b, a, false},
		{"a before c, dominating block", a, cc, true},
		{"c before b2, one branch only", cc, b2, false},
		{"b before b2", b, b2, true},
		{"a before a", a, a, false},
	} {
		if got := Precedes(tc.x, tc.y); got != tc.want {
			t.Errorf("Precedes(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}

	fn = p.fn("loop")
	la, lb, lc, ld := p.call(fn, "a", "la"), p.call(fn, "b", "lb"), p.call(fn, "c", "lc"), p.call(fn, "d", "ld")
	checkReaches(t, []reachCase{
		{"round the loop: a to a", la, la, none, true},
		{"b to c, next iteration", lb, lc, none, true},
		{"c to b", lc, lb, none, true},
		{"a to a avoiding b and c", la, la, func(in ssa.Instruction) bool { return in == lb || in == lc }, false},
		{"d to a", ld, la, none, false},
	})
	if Precedes(la, ld) {
		t.Error("Precedes(loop body's a, d after the loop) = true: the loop may not run")
	}
}

// BlockReaches follows the bare CFG: a call that never returns does not
// cut it, where the path searches stop.
func TestBlockReaches(t *testing.T) {
	p := build(t, `package p

import "os"

func a()
func b()

func f(x bool, n int) {
	if x {
		b()        // @beforeExit
		os.Exit(1) // @exit
	} else {
		a() // @else
	}
	for i := 0; i < n; i++ {
		b() // @body
	}
	a() // @after
}
`)
	fn := p.fn("f")
	exit, els, body, after := p.call(fn, "Exit", "exit").Block(), p.call(fn, "a", "else").Block(), p.call(fn, "b", "body").Block(), p.call(fn, "a", "after").Block()
	for _, tc := range []struct {
		name     string
		from, to *ssa.BasicBlock
		want     bool
	}{
		{"exit to after", exit, after, true},
		{"exit to else", exit, els, false},
		{"body to body", body, body, true},
		{"after to body", after, body, false},
		{"entry to after", fn.Blocks[0], after, true},
	} {
		if got := BlockReaches(tc.from, tc.to); got != tc.want {
			t.Errorf("BlockReaches(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	// The path search sees os.Exit: nothing after it is reached.
	before, afterCall := p.call(fn, "b", "beforeExit"), p.call(fn, "a", "after")
	if Reaches(before, afterCall, nil) {
		t.Error("Reaches: the call after the loop reached past os.Exit")
	}
	if !Reaches(p.call(fn, "a", "else"), afterCall, nil) {
		t.Error("Reaches: the call after the loop not reached from the else branch")
	}
}
