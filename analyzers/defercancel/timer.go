package defercancel

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
)

// onceByTimer reports whether s runs at most once however often the loop
// goes round: it is reached only through a receive from the channel of a
// *time.Timer made before the loop, which fires once, and the timer is not
// re-armed on the way back to s. A Reset guarded by a Stop that returned
// true does not re-arm it: the timer had not fired, so it still fires once
// in all (the fallback timer of net.dialParallel).
func (c *checker) onceByTimer(d *ssa.Defer, s *ssa.Call) bool {
	timer := guardingTimer(s)
	if timer == nil {
		return false
	}
	if def, ok := timer.(ssa.Instruction); ok && c.Graph.Reaches(d, def, nil) {
		return false // a new timer per iteration
	}
	for _, b := range s.Parent().Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isTimerMethod(&call.Call, "Reset") || call.Call.Args[0] != timer {
				continue
			}
			if c.Graph.Reaches(d, call, nil) && c.Graph.Reaches(call, s, nil) && !guardedByStop(call, timer) {
				return false
			}
		}
	}
	return true
}

// guardingTimer returns the *time.Timer whose channel s waits for: a
// receive from timer.C, or a select case receiving from it, that every path
// to s goes through.
func guardingTimer(s ssa.Instruction) ssa.Value {
	for b := s.Block(); b != nil; b = b.Idom() {
		for _, instr := range b.Instrs {
			if instr == s {
				break
			}
			if recv, ok := instr.(*ssa.UnOp); ok && recv.Op == token.ARROW {
				if t := timerOfChan(recv.X); t != nil {
					return t
				}
			}
		}
		if t := selectCaseTimer(b); t != nil {
			return t
		}
	}
	return nil
}

// selectCaseTimer returns the timer whose channel the select case entered
// only at block b receives from: b is the true branch of "index == k" after
// a select whose k'th case receives from timer.C.
func selectCaseTimer(b *ssa.BasicBlock) ssa.Value {
	ifi, succ, ok := cfgpath.Branch(b)
	if !ok || succ != 0 {
		return nil
	}
	sel, i, ok := cfgpath.SelectCase(ifi.Cond)
	if !ok || sel.States[i].Dir != types.RecvOnly {
		return nil
	}
	return timerOfChan(sel.States[i].Chan)
}

// timerOfChan returns t when ch is t.C for a *time.Timer t.
func timerOfChan(ch ssa.Value) ssa.Value {
	load, ok := ch.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || !apis.IsNamed(fa.X.Type(), "time", "Timer") {
		return nil
	}
	if st, ok := apis.NamedOf(fa.X.Type()).Underlying().(*types.Struct); !ok || fa.Field >= st.NumFields() || st.Field(fa.Field).Name() != "C" {
		return nil
	}
	return fa.X
}

func isTimerMethod(c *ssa.CallCommon, name string) bool {
	return apis.IsMethod(apis.Callee(c), "time", "Timer", name) && len(c.Args) > 0
}

// guardedByStop reports whether call runs only when timer.Stop() returned
// true: if timer.Stop() { ... }.
func guardedByStop(call ssa.Instruction, timer ssa.Value) bool {
	for ifi, succ := range cfgpath.Guards(call) {
		if succ != 0 {
			continue
		}
		if stop, ok := ifi.Cond.(*ssa.Call); ok && isTimerMethod(&stop.Call, "Stop") && stop.Call.Args[0] == timer {
			return true
		}
	}
	return false
}
