package cmdwait

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// checkFieldKills reports Kill and Signal of a command or process kept in an
// unexported struct field (s.cmd.Process.Kill() in a Stop method) when
// nothing in the package can wait for it: no Wait, Run, Output or
// CombinedOutput call on any command or process, no command or process given
// to a function that might wait, and the field never read out of the
// package's reach. Then the killed child stays a zombie (nomad#240, ory/x#824).
func (c *checker) checkFieldKills(funcs []*ssa.Function) {
	type kill struct {
		call  *ssa.Call
		field *types.Var
	}
	var kills []kill
	escaped := map[*types.Var]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					if ret, ok := instr.(*ssa.Return); ok {
						for _, r := range ret.Results {
							if f := loadedField(r); f != nil {
								escaped[f] = true
							}
						}
					}
					continue
				}
				common := call.Common()
				switch m := apis.CmdMethod(common); m {
				case "Wait", "Run", "Output", "CombinedOutput":
					return
				}
				pm := apis.ProcessMethod(common)
				if pm == "Wait" {
					return
				}
				if c.mayWaitArgs(common) {
					return
				}
				if pm != "Kill" && pm != "Signal" {
					continue
				}
				cl, ok := call.(*ssa.Call)
				if !ok || len(common.Args) == 0 {
					continue
				}
				if f := processField(common.Args[0]); f != nil {
					kills = append(kills, kill{cl, f})
				}
			}
		}
	}
	for _, k := range kills {
		if escaped[k.field] || k.field.Exported() || k.field.Pkg() != c.Pass.Pkg {
			continue
		}
		what := c.Src.Func(k.call.Pos(), "cmd.Process.Kill")
		recv := c.Src.Recv(k.call.Pos(), "cmd.Process")
		c.Report.Report(c.Src.CallRange(k.call.Pos()),
			report.Msgf("%s without Wait: nothing in this package waits for the child kept in field %s, so once killed it stays a zombie; call %s after killing it",
				what, k.field.Name(), trimSuffix(recv, ".Process")+".Wait"))
	}
}

// mayWaitArgs reports whether a call gives a command or process to a
// function that waits for it or may (no facts say it only borrows it).
func (c *checker) mayWaitArgs(common *ssa.CallCommon) bool {
	if apis.CmdMethod(common) != "" || apis.ProcessMethod(common) != "" {
		return false
	}
	for i, a := range common.Args {
		if !apis.IsCmd(a.Type()) && !apis.IsProcess(a.Type()) {
			continue
		}
		if e := c.table.ArgEffect(common, i); e&(facts.Wait|facts.Handoff) != 0 {
			return true
		}
	}
	return false
}

// processField returns the struct field a process value was loaded from:
// s.proc, or s.cmd for s.cmd.Process.
func processField(v ssa.Value) *types.Var {
	ld, fa := fieldLoad(v)
	if fa == nil || !apis.IsProcess(ld.Type()) {
		return nil
	}
	f := apis.FieldOf(fa)
	if outer := loadedField(fa.X); outer != nil && f != nil && f.Name() == "Process" {
		return outer
	}
	return f
}

// loadedField returns the struct field v was loaded from when it holds a
// command or process, or nil.
func loadedField(v ssa.Value) *types.Var {
	_, fa := fieldLoad(v)
	if fa == nil {
		return nil
	}
	f := apis.FieldOf(fa)
	if f == nil || !(apis.IsCmd(f.Type()) || apis.IsProcess(f.Type())) {
		return nil
	}
	return f
}

// fieldLoad returns the load v is and the address of the struct field it
// reads, or nils when v is not a load of a field.
func fieldLoad(v ssa.Value) (*ssa.UnOp, *ssa.FieldAddr) {
	ld, ok := v.(*ssa.UnOp)
	if !ok {
		return nil, nil
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return nil, nil
	}
	return ld, fa
}
