package lifecycle_test

import (
	"go/token"
	"sort"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

const killsSrc = `package p

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func signals(cmd *exec.Cmd) {
	cmd.Process.Kill()                          // signal kill
	cmd.Process.Signal(os.Interrupt)            // signal
	cmd.Process.Signal(syscall.Signal(0))       // probe
	syscall.Kill(cmd.Process.Pid, syscall.SIGTERM) // pidkill
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // pidkill group
	syscall.Kill(cmd.Process.Pid, 0)            // probe
	syscall.Tgkill(1, 2, syscall.SIGKILL)       // signal thread
	os.Getpid()
}

func cancels(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	vctx := context.WithValue(ctx, "k", 1)
	tctx, cancel2 := context.WithTimeout(vctx, time.Second)
	cmd := exec.CommandContext(tctx, "true")
	_ = cmd.Start()
	cancel()    // cancel
	go cancel2() // cancel
	defer cancel2()

	other, cancel3 := context.WithCancel(context.WithoutCancel(ctx))
	_ = other
	cancel3()
	_ = cmd.Wait()
}

func wrapped(ctx context.Context) {
	cmd := CommandContext(ctx, "true")
	_ = cmd
	plain := exec.Command("true")
	_ = plain
}

func CommandContext(ctx context.Context, name string) *exec.Cmd {
	return exec.CommandContext(ctx, name)
}
`

func TestKills(t *testing.T) {
	pkg := ssatest.Build(t, killsSrc)
	fset := ssatest.Fset
	line := func(pos token.Pos) int { return fset.Position(pos).Line }

	// SignalOf, Probe and KillsOfPid on signals.
	signals := pkg.Func("signals")
	var sigLines, probeLines, pidKills []int
	for _, b := range signals.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if s, ok := lifecycle.SignalOf(&call.Call); ok {
				if s.Probe() {
					probeLines = append(probeLines, line(call.Pos()))
				} else {
					sigLines = append(sigLines, line(call.Pos()))
				}
			}
		}
		for _, instr := range b.Instrs {
			if fa, ok := instr.(*ssa.FieldAddr); ok && apis.IsProcess(fa.X.Type()) {
				for _, k := range lifecycle.KillsOfPid(fa) {
					pidKills = append(pidKills, line(k.(*ssa.Call).Pos()))
				}
			}
		}
	}
	// The lines of the file: signals starts at 11.
	want(t, "signals", sigLines, 12, 13, 15, 16, 18)
	want(t, "probes", probeLines, 14, 17)
	want(t, "kills of the pid", pidKills, 15, 16)

	// IsPid: the pid arguments of the two group kills.
	for _, b := range signals.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if s, ok := lifecycle.SignalOf(&call.Call); ok && s.Pid != nil && !lifecycle.IsPid(s.Pid) {
					t.Errorf("line %d: IsPid(%v) = false", line(call.Pos()), s.Pid)
				}
				if apis.IsFunc(apis.Callee(&call.Call), "syscall", "Tgkill") && lifecycle.IsPid(call.Call.Args[0]) {
					t.Errorf("IsPid(1) = true")
				}
			}
		}
	}

	// CommandContext and CancelCalls: cancel and go cancel2 cancel the
	// command's context (through WithValue); cancel3, of a context under
	// WithoutCancel, does not; the deferred cancel2 is not a call here.
	fn := pkg.Func("cancels")
	var ctx ssa.Value
	for _, root := range lifecycle.CmdRoots(fn) {
		ctx = lifecycle.CommandContext(root)
	}
	if ctx == nil {
		t.Fatal("CommandContext(exec.CommandContext(tctx, ...)) = nil")
	}
	var cancelLines []int
	for _, in := range lifecycle.CancelCalls(ctx) {
		cancelLines = append(cancelLines, line(in.Pos()))
	}
	want(t, "cancels", cancelLines, 28, 29)
	if !lifecycle.DerivesFrom(ctx, fn.Params[0]) {
		t.Error("DerivesFrom(tctx, parent) = false")
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && apis.ContextFunc(apis.Callee(&call.Call)) == "WithoutCancel" {
				if lifecycle.DerivesFrom(call, fn.Params[0]) {
					// WithoutCancel(ctx) itself is not parent's, but
					// a context made from it is not cancelled by parent.
					t.Error("DerivesFrom(WithoutCancel(ctx), parent) = true")
				}
			}
		}
	}

	// A wrapper named CommandContext binds its command to its context;
	// exec.Command binds none.
	w := pkg.Func("wrapped")
	n := 0
	for _, root := range lifecycle.CmdRoots(w) {
		if c := lifecycle.CommandContext(root); c != nil {
			n++
			if c != w.Params[0] {
				t.Errorf("CommandContext(wrapper) = %v, want the parameter", c)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d roots of wrapped with a context, want 1", n)
	}
}

func want(t *testing.T, what string, got []int, lines ...int) {
	t.Helper()
	sort.Ints(got)
	if len(got) != len(lines) {
		t.Errorf("%s: lines %v, want %v", what, got, lines)
		return
	}
	for i := range got {
		if got[i] != lines[i] {
			t.Errorf("%s: lines %v, want %v", what, got, lines)
			return
		}
	}
}
