package lifecycle_test

import (
	"go/token"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ssatest"
)

const setupSrc = `package p

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func kills(cmd *exec.Cmd, tree func(int)) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
	syscall.Kill(-1*cmd.Process.Pid, syscall.SIGINT)
	syscall.Kill(cmd.Process.Pid, 0)
	if g, err := syscall.Getpgid(cmd.Process.Pid); err == nil {
		syscall.Kill(-g, syscall.SIGKILL)
	}
	tree(cmd.Process.Pid)
}

func setup(cmd *exec.Cmd, attr func() *syscall.SysProcAttr, w io.Writer) {
	cmd.WaitDelay = time.Second
	cmd.WaitDelay = 0
	cmd.Stdout = &bytes.Buffer{}
	cmd.Stderr = os.Stderr
	cmd.Stdout = w
	cmd.Stderr = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: false, Pdeathsig: syscall.SIGKILL}
	cmd.SysProcAttr = attr()
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.Cancel = func() error { return nil }
}
`

func TestSetup(t *testing.T) {
	pkg := ssatest.Build(t, setupSrc)
	line := func(pos token.Pos) int { return ssatest.Fset.Position(pos).Line }

	// PidKills: per use of cmd.Process.Pid, the group and leader kills
	// and whether the pid reaches code not seen (kills starts at 12).
	var group, leader, opaque []int
	for _, b := range pkg.Func("kills").Blocks {
		for _, instr := range b.Instrs {
			fa, ok := instr.(*ssa.FieldAddr)
			if !ok || !apis.IsProcess(fa.X.Type()) {
				continue
			}
			k := lifecycle.PidKills(fa)
			for _, g := range k.Group {
				group = append(group, line(g.(*ssa.Call).Pos()))
			}
			for _, l := range k.Leader {
				leader = append(leader, line(l.(*ssa.Call).Pos()))
			}
			if k.Opaque {
				opaque = append(opaque, line(fa.Pos()))
			}
		}
	}
	want(t, "group kills", group, 13, 15, 18)
	want(t, "leader kills", leader, 14)
	want(t, "pids given away", opaque, 20)

	// Setup of each store into the command's fields (setup starts at 23).
	fn := pkg.Func("setup")
	got := map[int]facts.Effect{}
	for _, op := range lifecycle.SetupOps(nil, fn.Params[0]) {
		if op.Field != "" {
			got[line(op.Instr.Pos())] |= lifecycle.Setup(op)
		}
	}
	for l, e := range map[int]facts.Effect{
		24: facts.SetDelay, 25: 0,
		26: facts.Captures, 27: 0, 28: 0, 29: facts.Captures,
		30: facts.SetAttr | facts.SetGroup, 31: facts.SetAttr, 32: facts.SetAttr | facts.SetGroup,
		33: facts.SetCancel | facts.KillGroup, 34: facts.SetCancel, 35: facts.SetCancel | facts.KillGroup,
	} {
		if got[l] != e {
			t.Errorf("line %d: Setup = %#x, want %#x", l, got[l], e)
		}
	}
}
