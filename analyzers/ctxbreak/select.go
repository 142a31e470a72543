package ctxbreak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A context made from a fresh root and used only through its Done channel
// still bounds work: the wait on that channel.
//
//	tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//	defer cancel()
//	select {
//	case <-s.ready:
//	case <-tctx.Done():
//		return errNotReady
//	}
//
// in a function that has ctx waits up to ten seconds after its caller gave
// up. That is a break, unless the same select also receives from the Done
// channel of a context from outside (the caller's cancellation ends the
// wait, and the fresh timeout is only a timer).

// waitsOnDone reports whether the Done channel done is waited on: received
// from, or a case of a blocking select with no case on the Done channel of
// a context that is not fresh.
func (c *checker) waitsOnDone(done *ssa.Call) bool {
	for _, r := range ownership.Refs(done) {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.ARROW && r.X == done {
				return true
			}
		case *ssa.Select:
			if !r.Blocking {
				continue
			}
			mine, outside := false, false
			for _, st := range r.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				if st.Chan == done {
					mine = true
				} else if c.isDone(st.Chan) && !c.fresh(doneReceiver(st.Chan)) {
					outside = true
				}
			}
			if mine && !outside {
				return true
			}
		}
	}
	return false
}

// doneReceiver returns the context whose Done call v is (isDone holds).
func doneReceiver(v ssa.Value) ssa.Value {
	call := v.(*ssa.Call)
	if call.Call.IsInvoke() {
		return call.Call.Value
	}
	if r := apis.Receiver(&call.Call); r != nil {
		return r
	}
	return call.Call.Args[0]
}
