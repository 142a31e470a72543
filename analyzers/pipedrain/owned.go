package pipedrain

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
)

// ownedUntil is lifecycle.OwnedHere made flow-sensitive: it reports whether
// the command value v (the X of a field store such as cmd.Stdout = w) is a
// command this function created, whose stdio fields are never read back
// here, and returns the instructions that hand it off. Until one of them
// runs, nobody else can close what is stored in its fields: a hand-off
// after the parent has already blocked on the pipe does not undo that
// (ownership is flow-sensitive).
func ownedUntil(t *facts.Table, v ssa.Value) (handoffs []ssa.Instruction, ok bool) {
	root := lifecycle.CreatedHere(v)
	if root == nil {
		return nil, false
	}
	for _, op := range lifecycle.Ops(t, root) {
		if op.Effect&facts.Handoff != 0 {
			handoffs = append(handoffs, op.Instr)
		}
		// c1.Stdout.(io.WriteCloser).Close(): what is stored in the
		// command's stdio is read back, and may be closed, here.
		if fa, isFA := op.Instr.(*ssa.FieldAddr); isFA {
			if f := apis.FieldOf(fa); f != nil {
				switch f.Name() {
				case "Stdin", "Stdout", "Stderr", "ExtraFiles":
					for _, r := range *fa.Referrers() {
						if _, isLoad := r.(*ssa.UnOp); isLoad {
							return nil, false
						}
					}
				}
			}
		}
	}
	return handoffs, true
}
