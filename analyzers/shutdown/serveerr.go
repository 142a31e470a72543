package shutdown

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// A serveSource is a value in a function that holds the error of a Serve
// call: the call itself, a call of a wrapper returning it, or the Wait of a
// group one of whose functions returns it.
type serveSource struct {
	value ssa.Value
	name  string    // the Serve call, as messages name it
	pos   token.Pos // where it is reported: the Serve call in this package, else the call of the wrapper
	via   token.Pos // the group's Wait, when it comes through one
}

// sources returns the Serve errors of fn.
func (c *checker) sources(fn *ssa.Function) []serveSource {
	var list []serveSource
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			common := call.Common()
			if serveMethod(apis.Callee(common)) != "" {
				list = append(list, serveSource{value: call, name: c.Src.Func(call.Pos(), "Serve"), pos: call.Pos()})
				continue
			}
			if cf := c.factOf(common); cf != nil && cf.ServeErr {
				pos, name := call.Pos(), c.Src.Func(call.Pos(), "the wrapper")+", which returns the error of "+cf.ServeName+","
				if cf.servePos.IsValid() {
					pos, name = cf.servePos, cf.ServeName
				}
				list = append(list, serveSource{value: serveResult(call), name: name, pos: pos})
			}
		}
	}
	return append(list, c.groupSources(fn)...)
}

// serveResult returns the error result of a call: the call, or its last
// result.
func serveResult(call *ssa.Call) ssa.Value {
	if _, ok := call.Type().(*types.Tuple); !ok {
		return call
	}
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == call.Type().(*types.Tuple).Len()-1 {
			return ex
		}
	}
	return nil
}

// groupSources returns the Waits (or Runs) of the groups, errgroup.Group
// and the like, given a function returning a Serve error by Go (or Add):
// Wait returns the first error of the group's functions.
func (c *checker) groupSources(fn *ssa.Function) []serveSource {
	type member struct {
		name string
		pos  token.Pos
	}
	groups := map[ssa.Value]member{}
	for call := range apis.Calls(fn) {
		recv := apis.Receiver(call.Common())
		if _, ok := call.(*ssa.Call); !ok || recv == nil {
			continue
		}
		args := call.Common().Args
		if !call.Common().IsInvoke() {
			args = args[1:]
		}
		for _, arg := range args {
			f := funcOf(arg)
			if f == nil {
				continue
			}
			if lf := c.local[f]; lf != nil && lf.ServeErr {
				groups[recv] = member{lf.ServeName, lf.servePos}
			}
		}
	}
	if len(groups) == 0 {
		return nil
	}
	var list []serveSource
	for instr := range apis.Calls(fn) {
		call, ok := instr.(*ssa.Call)
		if !ok {
			continue
		}
		callee := apis.Callee(call.Common())
		if callee == nil || callee.Name() != "Wait" && callee.Name() != "Run" {
			continue
		}
		if m, ok := groups[apis.Receiver(call.Common())]; ok && types.Identical(call.Type(), types.Universe.Lookup("error").Type()) {
			list = append(list, serveSource{value: call, name: m.name, pos: m.pos, via: call.Pos()})
		}
	}
	return list
}

// funcOf returns the function a func value is, a closure's included.
func funcOf(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		f, _ := v.Fn.(*ssa.Function)
		return f
	}
	return nil
}

// A serveFlow is where a Serve error goes in its function.
type serveFlow struct {
	checked bool               // compared with something other than nil, or errors.Is'd
	values  map[ssa.Value]bool // the error and the values made of it (wrapped, formatted)
	returns []*ssa.Return
}

// flow follows the Serve error v through its function.
func flow(v ssa.Value) *serveFlow {
	f := &serveFlow{values: map[ssa.Value]bool{}}
	work := []ssa.Value{v}
	add := func(v ssa.Value) {
		if v != nil && !f.values[v] {
			work = append(work, v)
		}
	}
	for len(work) > 0 && len(f.values) < 64 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if f.values[v] {
			continue
		}
		f.values[v] = true
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch r := ref.(type) {
			case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType, *ssa.Phi:
				add(r.(ssa.Value))
			case *ssa.BinOp:
				if r.Op == token.EQL || r.Op == token.NEQ {
					if !apis.IsNilConst(r.X) && !apis.IsNilConst(r.Y) {
						f.checked = true
					}
				}
			case *ssa.Store:
				// An argument of a variadic call: the slice made of the
				// array holds it.
				if ia, ok := r.Addr.(*ssa.IndexAddr); ok && r.Val == v {
					if alloc, ok := ia.X.(*ssa.Alloc); ok {
						for _, aref := range *alloc.Referrers() {
							if sl, ok := aref.(*ssa.Slice); ok {
								add(sl)
							}
						}
					}
				}
			case *ssa.Return:
				f.returns = append(f.returns, r)
			case ssa.CallInstruction:
				common := r.Common()
				callee := apis.Callee(common)
				switch {
				case callee != nil && callee.Pkg() != nil && (callee.Pkg().Path() == "errors" || callee.Pkg().Path() == "golang.org/x/xerrors") &&
					(callee.Name() == "Is" || callee.Name() == "As"):
					f.checked = true
				case callee != nil && (wraps(callee) || common.IsInvoke() && callee.Name() == "Error"):
					if call, ok := r.(*ssa.Call); ok {
						add(call)
					}
				}
			}
		}
	}
	return f
}

// wraps reports whether fn makes an error or a message of its arguments:
// fmt's, errors', and the common error-wrapping packages' functions.
func wraps(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt", "errors", "github.com/pkg/errors", "golang.org/x/xerrors", "github.com/cockroachdb/errors":
		return apis.RecvTypeName(fn) == ""
	}
	return false
}

// guardedOnlyByNil reports whether every branch on the way from the Serve
// error's definition to instr tests only whether the error is nil, and
// that instr runs when it is not: the error reaches instr as it is, not
// after a test of what it is (http.ErrServerClosed, a shutting-down flag).
func (f *serveFlow) guardedOnlyByNil(src ssa.Value, instr ssa.Instruction) bool {
	def, ok := src.(ssa.Instruction)
	if !ok || def.Block() == nil || !cfgpath.Precedes(def, instr) {
		return false
	}
	for ifi, succ := range cfgpath.Guards(instr) {
		if ifi.Block() != def.Block() && !def.Block().Dominates(ifi.Block()) {
			break
		}
		bin, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
			return false
		}
		var other ssa.Value
		switch {
		case apis.IsNilConst(bin.Y):
			other = bin.X
		case apis.IsNilConst(bin.X):
			other = bin.Y
		default:
			return false
		}
		if !f.values[other] {
			return false
		}
		// The branch taken must be the one where the error is not nil.
		if (bin.Op == token.NEQ) != (succ == 0) {
			return false
		}
	}
	return true
}

// exitSinks returns the exits and panics of src's function that the error
// reaches: given the error, or run only when it is not nil.
func (f *serveFlow) exitSinks(src ssa.Value) []ssa.Instruction {
	fn := src.Parent()
	var list []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var given bool
			switch instr := instr.(type) {
			case *ssa.Panic:
				given = f.values[instr.X]
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				common := instr.Common()
				if !isExitCall(common) {
					continue
				}
				for _, a := range common.Args {
					if f.values[a] {
						given = true
					}
				}
			default:
				continue
			}
			if !f.guardedOnlyByNil(src, instr) {
				continue
			}
			if given || f.testedNonNil(instr) {
				list = append(list, instr)
			}
		}
	}
	return list
}

// testedNonNil reports whether instr runs only when a value made of the
// error is not nil.
func (f *serveFlow) testedNonNil(instr ssa.Instruction) bool {
	for ifi := range cfgpath.Guards(instr) {
		if bin, ok := ifi.Cond.(*ssa.BinOp); ok && (f.values[bin.X] || f.values[bin.Y]) {
			return true
		}
	}
	return false
}

// A returnedErr is the Serve call whose error a function returns.
type returnedErr struct {
	name string
	pos  token.Pos
}

// returnedServeErr returns the Serve error fn returns unchecked, or nil.
func (c *checker) returnedServeErr(fn *ssa.Function) *returnedErr {
	for _, src := range c.sources(fn) {
		if src.value == nil {
			continue
		}
		f := flow(src.value)
		if f.checked {
			continue
		}
		for _, ret := range f.returns {
			for _, r := range ret.Results {
				if f.values[r] && f.guardedOnlyByNil(src.value, ret) {
					return &returnedErr{name: src.name, pos: src.pos}
				}
			}
		}
	}
	return nil
}

// checkServeErrors reports the Serve errors of fn that reach an exit or a
// panic unchecked.
func (c *checker) checkServeErrors(fn *ssa.Function) {
	if c.inTestFile(fn.Pos()) {
		return
	}
	for _, src := range c.sources(fn) {
		if src.value == nil || c.reported[src.pos] {
			continue
		}
		f := flow(src.value)
		if f.checked {
			continue
		}
		sinks := f.exitSinks(src.value)
		if len(sinks) == 0 {
			continue
		}
		c.reported[src.pos] = true
		sink := sinks[0]
		sinkName := "panic"
		if call, ok := sink.(ssa.CallInstruction); ok {
			sinkName = c.Src.Func(call.Pos(), "the exit")
		}
		consequence := "so the process exits before in-flight requests drain"
		var through report.Msg
		if src.via.IsValid() {
			through = report.Msgf(" through %s %s", c.Src.Func(src.via, "Wait"), c.Src.At(src.via))
			consequence = "so every graceful shutdown ends as a failure"
		} else {
			through = report.Msgf("")
		}
		shutdown := report.Msgf("Shutdown")
		if at := c.shutdownFor(src.pos); at.IsValid() {
			shutdown = report.Msgf("Shutdown %s", c.Src.At(at))
		}
		msg := report.Msgf("the error of %s reaches %s %s%s without a check for http.ErrServerClosed: %s makes it return ErrServerClosed at once, %s; treat errors.Is(err, http.ErrServerClosed) as success",
			src.name, sinkName, c.Src.At(sink.Pos()), through, shutdown, consequence)
		c.Report.Report(c.Src.CallRange(src.pos), msg, report.RelatedClause(msg))
	}
}
