// Package facts holds what a function does with its parameters, exported as
// analysis facts so that helpers in other packages count: "waits on parameter
// i", "drains parameter i", "closes parameter i", "only borrows parameter i";
// and the other facts the analyzers export: RecoverFact (handlerrecover)
// and CancelFact (defercancel).
package facts

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// Params is what a function does with its parameters. Bit i stands for
// parameter i, the receiver of a method being parameter 0 (as in
// ssa.Function.Params).
type Params struct {
	Waits   uint64 // waits for the command or process (reaps it)
	Reads   uint64 // reads from the reader (maybe not to EOF)
	Drains  uint64 // reads the reader to EOF
	Closes  uint64 // closes the pipe end
	Borrows uint64 // uses the parameter without keeping it or giving it away
	// Starts: starts the command and returns with it running, leaving
	// its Wait to the caller (a startInForeground(cmd) that sets the
	// process group and calls Start), rather than taking it over.
	Starts uint64
	// Kills: kills or signals the command or process and leaves its
	// Wait to the caller (a kill helper).
	Kills uint64

	// How the function sets the command up to be cancelled (cmdcancel's
	// facts only; see the Effects of the same names).
	Delays     uint64 // sets WaitDelay
	Groups     uint64 // puts it in a process group of its own (SysProcAttr.Setpgid or Setsid)
	Attrs      uint64 // sets SysProcAttr, whatever it holds
	GroupKills uint64 // signals its process group (syscall.Kill(-pid, sig)), in Cancel or by hand
	Captures   uint64 // gives it an output that is not an *os.File (a buffer, Output, a pipe)
	Cancels    uint64 // sets its Cancel func
}

// Fact is the analysis fact carrying Params. Each analyzer has its own
// fact type, as the analysis framework requires.
type Fact interface {
	analysis.Fact
	params() *Params
	returns() *Returns
}

// CmdFact is cmdwait's fact: what a function does with commands and
// processes it is given, and the commands it makes and returns.
type CmdFact struct {
	Params
	Returns
}

// CmdCancelFact is cmdcancel's fact: what a function does with commands
// it is given, how it sets them up to be cancelled included, and the
// commands it makes and returns.
type CmdCancelFact struct {
	Params
	Returns
}

// PipeFact is pipedrain's fact: what a function does with pipe ends it is
// given, and the commands and pipes it makes and returns.
type PipeFact struct {
	Params
	Returns
}

func (*CmdFact) AFact()                    {}
func (*PipeFact) AFact()                   {}
func (*CmdCancelFact) AFact()              {}
func (f *CmdFact) params() *Params         { return &f.Params }
func (f *PipeFact) params() *Params        { return &f.Params }
func (f *CmdFact) returns() *Returns       { return &f.Returns }
func (f *PipeFact) returns() *Returns      { return &f.Returns }
func (f *CmdCancelFact) params() *Params   { return &f.Params }
func (f *CmdCancelFact) returns() *Returns { return &f.Returns }
func (f *CmdCancelFact) String() string    { return factString(&f.Params, &f.Returns) }

func (f *CmdFact) String() string  { return factString(&f.Params, &f.Returns) }
func (f *PipeFact) String() string { return factString(&f.Params, &f.Returns) }

func factString(p *Params, r *Returns) string {
	switch {
	case r.empty():
		return p.String()
	case p.empty():
		return r.String()
	}
	return p.String() + " " + r.String()
}

func (p *Params) String() string {
	var parts []string
	for _, f := range []struct {
		name string
		bits uint64
	}{{"waits", p.Waits}, {"reads", p.Reads}, {"drains", p.Drains}, {"closes", p.Closes}, {"borrows", p.Borrows},
		{"starts", p.Starts}, {"kills", p.Kills},
		{"delays", p.Delays}, {"groups", p.Groups}, {"attrs", p.Attrs}, {"groupkills", p.GroupKills},
		{"captures", p.Captures}, {"cancels", p.Cancels}} {
		if f.bits != 0 {
			parts = append(parts, fmt.Sprintf("%s%v", f.name, bitList(f.bits)))
		}
	}
	return "params(" + strings.Join(parts, " ") + ")"
}

func bitList(bits uint64) []int {
	var l []int
	for i := 0; i < 64; i++ {
		if bits&(1<<i) != 0 {
			l = append(l, i)
		}
	}
	return l
}

// Has reports whether bit i is set in bits.
func Has(bits uint64, i int) bool { return i >= 0 && i < 64 && bits&(1<<i) != 0 }

func (p *Params) empty() bool { return *p == Params{} }

// setupBits pairs the setup bit sets with their effects.
func (p *Params) setupBits() []struct {
	bits   *uint64
	effect Effect
} {
	return []struct {
		bits   *uint64
		effect Effect
	}{{&p.Delays, SetDelay}, {&p.Groups, SetGroup}, {&p.Attrs, SetAttr}, {&p.GroupKills, KillGroup},
		{&p.Captures, Captures}, {&p.Cancels, SetCancel}}
}

// Effect is what one use of a parameter does to it.
type Effect uint16

const (
	Neutral Effect = 1 << iota // looks at it, keeps nothing
	Wait
	Read
	Drain
	Close
	Handoff // keeps it or gives it away
	Start   // starts the command and leaves it running (its Wait to the caller)
	Kill    // kills or signals the process and leaves its Wait to the caller

	// How a command is set up to end when cancelled or killed, which
	// only cmdcancel asks about (lifecycle.Setup).
	SetDelay  // sets cmd.WaitDelay
	SetGroup  // puts the child in a process group of its own: SysProcAttr.Setpgid or Setsid
	SetAttr   // sets cmd.SysProcAttr, whatever it holds
	KillGroup // signals the child's process group: syscall.Kill(-pid, sig), in Cancel or by hand
	Captures  // gives the command an output that is not an *os.File: a buffer, a writer, Output, a pipe
	SetCancel // sets cmd.Cancel

	// SetupEffects are the effects cmdcancel reads.
	SetupEffects = SetDelay | SetGroup | SetAttr | KillGroup | Captures | SetCancel
)

// Classifier says what one use of a tracked parameter does. It is given the
// table so that calls can consult the callee's facts.
type Classifier func(t *Table, u ownership.Use) Effect

// Table answers "what does this callee do with argument i" for the package
// being analysed (computed) and its dependencies (imported facts).
type Table struct {
	pass    *analysis.Pass
	newFact func() Fact
	local   map[*ssa.Function]*Params
	returns map[*ssa.Function]*Returns
	// Returns, if set, computes what each function returns that its
	// callers must look after (lifecycle.FactoryReturns: the commands
	// it makes), alongside the parameters' facts; the functions it is
	// asked about are those with a result of a type ReturnsTracked
	// accepts.
	Returns        ReturnsFunc
	ReturnsTracked func(types.Type) bool
	// Extra holds user-configured functions and the effect they have on
	// every tracked argument.
	Extra []ExtraFuncs
}

// ExtraFuncs are configured functions with one effect on each argument.
type ExtraFuncs struct {
	List   *apis.FuncList
	Effect Effect
}

// NewTable returns an empty table for pass, whose analyzer imports and
// exports facts of the type newFact returns.
func NewTable(pass *analysis.Pass, newFact func() Fact) *Table {
	return &Table{pass: pass, newFact: newFact, local: map[*ssa.Function]*Params{}, returns: map[*ssa.Function]*Returns{}}
}

// Of returns the facts of a call's static callee, or nil when it is unknown
// (a function value, an interface method, a function without facts).
func (t *Table) Of(c *ssa.CallCommon) *Params {
	fn := apis.StaticFunc(c)
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if p, ok := t.local[fn]; ok {
		return p
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	if p := stdFacts(obj); p != nil {
		return p
	}
	if obj.Pkg() == t.pass.Pkg {
		return nil
	}
	f := t.newFact()
	if t.pass.ImportObjectFact(obj, f) {
		return f.params()
	}
	return nil
}

// ExtraEffect returns the configured effect of calling fn, or 0.
func (t *Table) ExtraEffect(c *ssa.CallCommon) Effect {
	fn := apis.Callee(c)
	var e Effect
	for _, x := range t.Extra {
		if x.List.Matches(fn) {
			e |= x.Effect
		}
	}
	return e
}

// ArgEffect is the effect of passing a tracked value as argument i of a
// call, from the callee's facts; Handoff when nothing is known.
func (t *Table) ArgEffect(c *ssa.CallCommon, i int) Effect {
	if e := t.ExtraEffect(c); e != 0 {
		return e
	}
	if i < 0 {
		return Handoff
	}
	p := t.Of(c)
	if p == nil {
		return Handoff
	}
	var e Effect
	if Has(p.Waits, i) {
		e |= Wait
	}
	if Has(p.Reads, i) {
		e |= Read
	}
	if Has(p.Drains, i) {
		e |= Drain | Read
	}
	if Has(p.Closes, i) {
		e |= Close
	}
	if Has(p.Borrows, i) {
		e |= Neutral
	}
	if Has(p.Starts, i) {
		e |= Start
	}
	if Has(p.Kills, i) {
		e |= Kill
	}
	for _, b := range p.setupBits() {
		if Has(*b.bits, i) {
			e |= b.effect
		}
	}
	if e == 0 {
		return Handoff
	}
	return e
}

// Compute derives the facts of the package's functions for the parameters
// whose type tracked accepts, iterating to a fixed point so that helpers
// calling helpers count, and exports the non-empty ones.
//
// The fixed point is the least one, reached from below. Every parameter
// starts with no bits, which ArgEffect reads as a hand-off (unknown), and
// the classifiers (lifecycle.Classify, pipedrain's) are monotone in the
// table: a callee known to do more with its argument makes the use of it a
// Wait, Read, Drain, Close or Neutral instead of a Handoff, and never takes
// an effect away. A parameter's Waits, Reads, Drains and Closes bits are
// the OR of its uses' effects, so they only go on; its Borrows bit is on
// when no use is a Handoff, and hand-offs only go away, so it only goes on
// too; Starts and Kills likewise, and the six setup bits (Delays ...
// Cancels) are ORs. Each round that changes anything turns on at least one
// of the thirteen bits of one of the n parameters, so there are at most
// 13n such rounds,
// and one more finds that nothing changes. (A helper chain of k calls
// declared caller first needs k+1 rounds; a cycle a little more.) The bound
// is the loop's, so that a classifier that broke monotonicity would cost
// rounds, not a hang.
func (t *Table) Compute(funcs []*ssa.Function, tracked func(types.Type) bool, classify Classifier) {
	type param struct {
		fn   *ssa.Function
		i    int
		uses []ownership.Use
	}
	var params []param
	for _, fn := range funcs {
		if fn.Signature.TypeParams().Len() > 0 && fn.Blocks == nil {
			continue
		}
		for i, p := range fn.Params {
			if i < 64 && tracked(p.Type()) {
				// The uses do not change from round to round; only
				// what the callees are known to do with them does.
				params = append(params, param{fn, i, ownership.Uses(p)})
			}
		}
	}
	var factories []*ssa.Function
	if t.Returns != nil && t.ReturnsTracked != nil {
		for _, fn := range funcs {
			if fn.Blocks == nil {
				continue
			}
			res := fn.Signature.Results()
			for i := 0; i < res.Len(); i++ {
				if t.ReturnsTracked(res.At(i).Type()) {
					factories = append(factories, fn)
					t.returns[fn] = &Returns{}
					break
				}
			}
		}
	}
	if len(params) == 0 && len(factories) == 0 {
		return
	}
	for _, prm := range params {
		if t.local[prm.fn] == nil {
			t.local[prm.fn] = &Params{}
		}
	}
	// A factory's Returns can change only when what it calls is known
	// better (a factory it calls, a helper that starts its command), a
	// few times each: its bound is counted like a parameter's bits.
	for round := 0; round <= 13*len(params)+4*len(factories); round++ {
		changed := false
		for _, fn := range factories {
			if next := t.Returns(t, fn); !next.equal(*t.returns[fn]) {
				*t.returns[fn] = next
				changed = true
			}
		}
		for _, prm := range params {
			var all Effect
			for _, u := range prm.uses {
				all |= classify(t, u)
			}
			next := *t.local[prm.fn]
			bit := uint64(1) << prm.i
			set := func(field *uint64, on bool) {
				if on {
					*field |= bit
				} else {
					*field &^= bit
				}
			}
			set(&next.Waits, all&Wait != 0)
			set(&next.Reads, all&(Read|Drain) != 0)
			set(&next.Drains, all&Drain != 0)
			set(&next.Closes, all&Close != 0)
			set(&next.Borrows, all&Handoff == 0)
			// A helper that starts or kills the command and also keeps
			// it (gexec.Start stores it in the Session whose
			// goroutine waits for it) has taken it over: only one
			// that keeps nothing leaves the Wait to its caller. Like
			// Borrows, these go on as hand-offs go away.
			set(&next.Starts, all&Start != 0 && all&Handoff == 0)
			set(&next.Kills, all&Kill != 0 && all&Handoff == 0)
			// Setting the command up is done whatever else the helper
			// does with it: these bits are the OR of the uses too.
			for _, b := range next.setupBits() {
				set(b.bits, all&b.effect != 0)
			}
			if next != *t.local[prm.fn] {
				*t.local[prm.fn] = next
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	// The standard library's facts are built in (stdFacts), whether or
	// not its source is being analyzed, so that a module's code is judged
	// the same in both cases; and every fact a package exports is copied
	// into the facts of every package that imports it, directly or not,
	// which for the standard library's thousands of reader and writer
	// helpers would cost more memory than the whole SSA.
	if apis.IsStdlib(t.pass) {
		return
	}
	exported := map[*ssa.Function]Fact{}
	factOf := func(fn *ssa.Function) Fact {
		if f, ok := exported[fn]; ok {
			return f
		}
		f := t.newFact()
		exported[fn] = f
		return f
	}
	for fn, p := range t.local {
		if !p.empty() {
			*factOf(fn).params() = *p
		}
	}
	for fn, r := range t.returns {
		if !r.empty() {
			*factOf(fn).returns() = *r
		}
	}
	for fn, f := range exported {
		if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() == t.pass.Pkg {
			t.pass.ExportObjectFact(obj, f)
		}
	}
}

// stdFacts knows the standard-library functions that matter without
// analysing the standard library: readers that drain, formatters that only
// borrow, wrappers that do not close what they wrap.
func stdFacts(fn *types.Func) *Params {
	pkg := fn.Pkg()
	if pkg == nil {
		return nil
	}
	path, name, recv := pkg.Path(), fn.Name(), apis.RecvTypeName(fn)
	const p0, p1, p2 = 1, 2, 4
	switch path {
	case "fmt", "log", "log/slog":
		// Formatting and logging look at their operands and keep none.
		if recv == "" || path == "log" || path == "log/slog" {
			return &Params{Borrows: ^uint64(0)}
		}
	case "io", "io/ioutil":
		switch name {
		case "Copy", "CopyBuffer":
			return &Params{Drains: p1, Reads: p1, Borrows: p0 | p1 | p2}
		case "CopyN":
			return &Params{Reads: p1, Borrows: p0 | p1}
		case "ReadAll":
			return &Params{Drains: p0, Reads: p0, Borrows: p0}
		case "ReadFull", "ReadAtLeast":
			return &Params{Reads: p0, Borrows: p0 | p1}
		case "WriteString":
			return &Params{Borrows: p0}
		}
	case "bytes", "strings":
		if recv == "Buffer" || recv == "Builder" {
			switch name {
			case "ReadFrom":
				return &Params{Drains: p1, Reads: p1, Borrows: p0 | p1}
			case "WriteTo":
				return &Params{Borrows: p0 | p1}
			}
		}
	case "encoding/json", "encoding/xml", "encoding/gob", "encoding/csv", "bufio",
		"compress/gzip", "compress/zlib", "compress/flate", "archive/tar", "archive/zip",
		"mime/multipart", "text/template", "html/template":
		switch {
		case strings.HasPrefix(name, "NewWriter") || name == "NewEncoder":
			// The wrapper writes to w but its Close does not close w.
			return &Params{Borrows: p0}
		case strings.HasPrefix(name, "Execute"):
			return &Params{Borrows: p0 | p1 | p2 | 8}
		}
	}
	return nil
}
