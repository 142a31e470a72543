package lifecycle

import (
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A Root is a command a function is responsible for: one it makes itself
// (CmdRoots), or one a factory made and returned to it.
type Root struct {
	Value ssa.Value // the *exec.Cmd
	// Call is the factory call the command comes from, with Made what
	// the factory's facts say of it; nil for a command made here.
	Call *ssa.Call
	Made facts.MadeCmd
}

// Roots returns the commands fn is responsible for: those it makes
// (CmdRoots) and the *exec.Cmd results of its calls of factories (functions
// whose facts say they return a command they made), in the order of their
// instructions.
func Roots(t *facts.Table, fn *ssa.Function) []Root {
	var roots []Root
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				if v, ok := instr.(ssa.Value); ok && isNewCmd(v) {
					roots = append(roots, Root{Value: v})
				}
				continue
			}
			r := t.ReturnsOf(&call.Call)
			if r == nil {
				if isNewCmd(call) {
					roots = append(roots, Root{Value: call})
				}
				continue
			}
			for _, m := range r.Cmds {
				if v := Result(call, m.Result); v != nil {
					roots = append(roots, Root{Value: v, Call: call, Made: m})
				}
			}
		}
	}
	return roots
}

// Result returns result i of the call: the call itself when it has one
// result, else its Extract i; nil when that result is not used.
func Result(call *ssa.Call, i int) ssa.Value {
	if _, isTuple := call.Type().(*types.Tuple); !isTuple {
		if i == 0 {
			return call
		}
		return nil
	}
	for _, r := range ownership.Refs(call) {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// Pipes returns the pipes a factory returned with the root's command, by
// the method that made them ("StdoutPipe"...), as values of the caller.
func (r Root) Pipes() map[string][]ssa.Value {
	if r.Call == nil {
		return nil
	}
	m := map[string][]ssa.Value{}
	for _, p := range r.Made.Pipes {
		if v := Result(r.Call, p.Result); v != nil {
			m[p.Method] = append(m[p.Method], v)
		}
	}
	return m
}

// StartsCmd reports whether the op starts the command and leaves it running
// for this function to wait for: a Start call, or a call of a helper whose
// facts say it starts the command and neither waits for it nor keeps it.
func (o Op) StartsCmd() bool {
	if o.OnProcess {
		return false
	}
	if o.Method == "Start" {
		return true
	}
	return o.Method == "" && o.Use.Common != nil && o.Effect&facts.Start != 0 && o.Effect&(facts.Wait|facts.Handoff) == 0
}

// KillsCmd reports whether the op kills or signals the process and leaves
// its Wait to this function: a Kill or Signal (not the signal-0 probe), or a
// call of a helper whose facts say it kills and neither waits nor keeps it.
func (o Op) KillsCmd() bool {
	if o.IsKill() {
		return true
	}
	return o.Method == "" && o.Use.Common != nil && o.Effect&facts.Kill != 0 && o.Effect&(facts.Wait|facts.Handoff) == 0
}

// IsWait reports whether the op waits for the command or process: a Wait,
// Run, Output or CombinedOutput, a goroutine that waits, or a helper that
// does.
func (o Op) IsWait() bool { return o.Effect&facts.Wait != 0 }

// HasCleanup reports whether the root's command has something only
// (*exec.Cmd).Wait releases, by what its ops show: made by CommandContext
// (or by a factory whose facts say so), a pipe taken, a Stdin, Stdout or
// Stderr that is not an *os.File (copied by a goroutine), Cancel or
// WaitDelay set.
func HasCleanup(root Root, ops []Op) bool {
	if root.Call != nil && root.Made.Cleanup {
		return true
	}
	if call, ok := root.Value.(*ssa.Call); ok && root.Call == nil {
		if fn := apis.Callee(&call.Call); fn != nil && fn.Name() == "CommandContext" {
			return true
		}
	}
	dead := OverriddenPipes(ops)
	for _, op := range ops {
		switch {
		case op.OnProcess:
		case op.Method == "StdoutPipe" || op.Method == "StderrPipe" || op.Method == "StdinPipe":
			if !dead[op.Instr] {
				return true
			}
		case op.Field == "Cancel" || op.Field == "WaitDelay":
			return true
		case op.Field == "Stdout" || op.Field == "Stderr" || op.Field == "Stdin":
			if mi, ok := op.Stored.(*ssa.MakeInterface); ok && !apis.IsNamed(mi.X.Type(), "os", "File") {
				return true
			}
		}
	}
	return false
}

// FactoryReturns is the facts.ReturnsFunc for commands: the *exec.Cmd
// results of fn that are commands it made (or a factory it called made) and
// gives to its caller to look after, whether it started them, and the
// pipes of theirs it returns too. A command that is waited for before some
// return, or handed off anywhere else (stored in a field, captured, given to
// a function not known to borrow it), is not the caller's alone: it is left
// out, and its callers are silent about it.
func FactoryReturns(t *facts.Table, fn *ssa.Function) facts.Returns {
	return factoryReturns(t, fn, Ops, nil)
}

// FactoryReturnsWith is FactoryReturns for an analyzer that sees more of a
// command's ops (opsOf: cmdcancel's SetupOps, which looks into closures)
// and records more of what the factory did to each command it returns
// (annotate, given the command's root and ops).
func FactoryReturnsWith(opsOf func(*facts.Table, ssa.Value) []Op, annotate func(Root, []Op, *facts.MadeCmd)) facts.ReturnsFunc {
	return func(t *facts.Table, fn *ssa.Function) facts.Returns { return factoryReturns(t, fn, opsOf, annotate) }
}

func factoryReturns(t *facts.Table, fn *ssa.Function, opsOf func(*facts.Table, ssa.Value) []Op, annotate func(Root, []Op, *facts.MadeCmd)) facts.Returns {
	var out facts.Returns
	seen := map[int]bool{}
	for _, root := range Roots(t, fn) {
		ops := opsOf(t, root.Value)
		var rets []*ssa.Return
		index := -1
		ok := true
		for _, op := range ops {
			if op.Use.Kind == ownership.Return && op.Instr.Parent() != fn {
				ok = false // a closure's result: given away
				continue
			}
			if op.Use.Kind == ownership.Return {
				ret := op.Instr.(*ssa.Return)
				for k, v := range ret.Results {
					if v == op.Use.Value {
						if index >= 0 && index != k {
							ok = false
						}
						index = k
					}
				}
				rets = append(rets, ret)
				continue
			}
			if op.IsWait() || op.Effect&facts.Handoff != 0 {
				ok = false
			}
		}
		if !ok || index < 0 || seen[index] {
			continue
		}
		made := facts.MadeCmd{Result: index, Cleanup: HasCleanup(root, ops)}
		all, some := true, false
		if root.Call != nil && root.Made.Started != facts.NotStarted {
			some = true
			all = root.Made.Started == facts.IsStarted
		}
		for _, ret := range rets {
			before := root.Call != nil && root.Made.Started == facts.IsStarted
			maybe := before
			for _, op := range ops {
				if !op.StartsCmd() {
					continue
				}
				if cfgpath.Precedes(op.Instr, ret) {
					before, maybe = true, true
				} else if cfgpath.Reaches(op.Instr, ret, nil) {
					maybe = true
				}
			}
			all = all && before
			some = some || maybe
		}
		switch {
		case some && all:
			made.Started = facts.IsStarted
		case some:
			made.Started = facts.MaybeStarted
		}
		made.Pipes = returnedPipes(root, ops, rets)
		if annotate != nil {
			annotate(root, ops, &made)
		}
		seen[index] = true
		out.Cmds = append(out.Cmds, made)
	}
	return out
}

// returnedPipes returns the pipes the ops take, or the factory the root
// comes from returned with it, that the returns rets return beside the
// command.
func returnedPipes(root Root, ops []Op, rets []*ssa.Return) []facts.PipeResult {
	type taken struct {
		pipe   ssa.Value
		method string
	}
	var all []taken
	dead := OverriddenPipes(ops)
	for method, vs := range root.Pipes() {
		for _, v := range vs {
			all = append(all, taken{v, method})
		}
	}
	for _, op := range ops {
		switch op.Method {
		case "StdoutPipe", "StderrPipe", "StdinPipe":
		default:
			continue
		}
		call, ok := op.Instr.(*ssa.Call)
		if !ok || op.OnProcess || dead[op.Instr] {
			continue
		}
		if pipe := Result(call, 0); pipe != nil {
			all = append(all, taken{pipe, op.Method})
		}
	}
	var pipes []facts.PipeResult
	for _, t := range all {
		pipe, method := t.pipe, t.method
	uses:
		for _, u := range ownership.Uses(pipe) {
			ret, ok := u.Instr.(*ssa.Return)
			if u.Kind != ownership.Return || !ok {
				continue
			}
			for _, r := range rets {
				if r != ret {
					continue
				}
				for k, v := range ret.Results {
					if v == u.Value {
						pipes = append(pipes, facts.PipeResult{Result: k, Method: method})
						break uses
					}
				}
			}
		}
	}
	// In result order: root.Pipes is a map.
	sort.Slice(pipes, func(i, j int) bool { return pipes[i].Result < pipes[j].Result })
	return pipes
}

// OverriddenPipes returns the StdoutPipe, StderrPipe and StdinPipe calls
// among ops after which the command's Stdout, Stderr or Stdin is set again:
// the child gets what was set last, and the pipe is dead (air's startCmd
// takes both pipes, then sets Stdout and Stderr to os.Stdout and
// os.Stderr, so the child never writes to them and they read EOF at once).
func OverriddenPipes(ops []Op) map[ssa.Instruction]bool {
	field := map[string]string{"StdoutPipe": "Stdout", "StderrPipe": "Stderr", "StdinPipe": "Stdin"}
	dead := map[ssa.Instruction]bool{}
	for _, pipe := range ops {
		f, ok := field[pipe.Method]
		if !ok || pipe.OnProcess {
			continue
		}
		for _, st := range ops {
			if st.Field == f && st.Instr != pipe.Instr && cfgpath.Reaches(pipe.Instr, st.Instr, nil) {
				dead[pipe.Instr] = true
			}
		}
	}
	return dead
}

// ReturnsCmd reports whether t is a type a factory's result can have: a
// pointer to exec.Cmd.
func ReturnsCmd(t types.Type) bool {
	_, isPtr := types.Unalias(t).(*types.Pointer)
	return isPtr && apis.IsCmd(t)
}
