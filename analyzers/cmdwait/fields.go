package cmdwait

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// checkFields reports a command kept in an unexported struct field that
// the package starts (or kills) and never waits for: per field, so that
// another type's Wait changes nothing (lifecycle.FieldCmds gathers what the
// package does with each). A field whose command escapes (returned by a
// method, given to a function that may keep it, its address taken) may be
// waited for elsewhere: silent (nomad#240, ory/x#824).
func (c *checker) checkFields(funcs []*ssa.Function) {
	for _, u := range lifecycle.FieldCmds(c.table, c.Pass.Pkg, funcs, lifecycle.Ops) {
		var starts []*ssa.Call // Start calls (or helpers that start it)
		var kills []lifecycle.Op
		waited := false
		for _, op := range u.Ops {
			switch {
			case op.IsWait():
				waited = true
			case op.StartsCmd():
				if call, ok := op.Instr.(*ssa.Call); ok {
					starts = append(starts, call)
				}
			case op.KillsCmd():
				if op.Use.Kind == ownership.Call || op.Use.Kind == ownership.Defer {
					kills = append(kills, op)
				}
			}
		}
		if waited || u.Escaped {
			continue
		}
		f := u.Field
		owner := lifecycle.OwnerName(f)
		if len(starts) > 0 {
			for _, call := range starts {
				recv := c.Src.Recv(call.Pos(), "cmd")
				what := recv + ".Start"
				if apis.CmdMethod(&call.Call) != "Start" {
					recv = "the command"
					what = c.Src.Func(call.Pos(), "a helper") + " starts the command"
				}
				wait := "call " + recv + ".Wait"
				if !report.Named(recv) {
					wait = "wait for it"
				}
				c.Report.Report(c.Src.CallRange(call.Pos()),
					report.Msgf("%s without Wait: nothing in this package waits for the command kept in field %s%s, so the child becomes a zombie and its pipes leak; %s where the command is stopped (in a Stop or Close method, or in a goroutine started after Start)",
						what, f.Name(), owner, wait))
			}
			continue
		}
		if !u.Child {
			continue
		}
		for _, k := range kills {
			what := c.killText(k)
			c.Report.Report(c.Src.CallRange(k.Use.Common.Pos()),
				report.Msgf("%s without Wait: nothing in this package waits for the child kept in field %s%s, so once killed it stays a zombie; call %s after killing it",
					what, f.Name(), owner, c.cmdWaitName(k)))
		}
	}
}
