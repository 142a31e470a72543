package a

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// A script built at run time, cancelled by its context, output in a
// buffer, no WaitDelay: Wait hangs on the script's children.
func runScript(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script) // want `the cancel of its context \(exec.CommandContext\) kills only sh \(sh -c with a script built at run time\), not the children it starts: they keep the output pipe open, so cmd.Run blocks until they exit, long after the kill; set cmd.WaitDelay, and run it in a process group of its own \(SysProcAttr.Setpgid\) and kill the group with syscall.Kill\(-cmd.Process.Pid, syscall.SIGKILL\) in cmd.Cancel`
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}

// Output and CombinedOutput capture the output too; bash by path.
func output(ctx context.Context, script string) ([]byte, error) {
	return exec.CommandContext(ctx, "/bin/bash", "-lc", script).CombinedOutput() // want `kills only bash \(bash -c with a script built at run time\).* so cmd.CombinedOutput blocks`
}

// A constant script of more than one command: the shell forks for each.
func constantCompound(ctx context.Context) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 30 & echo started") // want `kills only sh \(sh -c with a script of more than one command\)`
	return cmd.Output()
}

// A command line the code did not choose: a hook.
func hook(ctx context.Context, argv []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...) // want `kills only the program \(a command line the code did not choose \(element 0 of a \[\]string\)\)`
	return cmd.Output()
}

// strings.Fields of a user's command line.
func userCommand(ctx context.Context, line string) error {
	parts := strings.Fields(line)
	cmd := exec.CommandContext(ctx, parts[0], parts[1:]...) // want `kills only the program`
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	return cmd.Run()
}

// $SHELL, with WaitDelay set: Wait is bounded, but the kill still reaches
// the shell alone.
func userShell(ctx context.Context, script string) error {
	cmd := exec.CommandContext(ctx, os.Getenv("SHELL"), "-c", script) // want `the cancel of its context \(exec.CommandContext\) kills only the shell \(\$SHELL -c with a script built at run time\), not the children it starts: they run on after the kill; run it in a process group of its own \(SysProcAttr.Setpgid\) and kill the group with syscall.Kill\(-cmd.Process.Pid, syscall.SIGKILL\) in cmd.Cancel`
	cmd.WaitDelay = time.Second
	var buf bytes.Buffer
	cmd.Stdout = &buf
	return cmd.Run()
}

// A configured shell field, killed by hand: reported at the kill.
type runner struct{ shell string }

func (r *runner) run(script string) error {
	cmd := exec.Command(r.shell, "-c", script)
	cmd.Stdout = os.Stdout
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(time.Second, func() {
		cmd.Process.Kill() // want `cmd.Process.Kill kills only the shell \(the shell -c with a script built at run time\), not the children it starts: they run on after the kill; run it in a process group of its own \(SysProcAttr.Setpgid\) and kill the group with syscall.Kill\(-cmd.Process.Pid, syscall.SIGKILL\)`
	})
	defer timer.Stop()
	return cmd.Wait()
}

// Setpgid and a Cancel that kills the group: the children die with the
// shell and release the pipe.
func groupKilled(ctx context.Context, script string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	return cmd.Output()
}

// The same without WaitDelay: the group kill ends every child.
func groupKilledNoDelay(ctx context.Context, script string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	return cmd.Output()
}

// Group killed by hand, through Getpgid.
func groupByHand(script string) error {
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	if err := cmd.Start(); err != nil {
		return err
	}
	if pgid, err := syscall.Getpgid(cmd.Process.Pid); err == nil {
		syscall.Kill(-pgid, syscall.SIGKILL)
	}
	return cmd.Wait()
}

// Constant tools are not reported: git's children rarely keep its pipes.
func git(ctx context.Context, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, "git", args...).Output()
}

// One configured string: ffmpeg.
type transcoder struct{ FFmpeg string }

func (t *transcoder) run(ctx context.Context, in string) ([]byte, error) {
	return exec.CommandContext(ctx, t.FFmpeg, "-i", in).CombinedOutput()
}

// jq -c and gzip -c are not shells.
func jq(ctx context.Context, filter string) ([]byte, error) {
	return exec.CommandContext(ctx, "jq", "-c", filter).Output()
}

// A lone simple command: the shell execs it, and the kill reaches it.
func loneCommand(ctx context.Context) ([]byte, error) {
	return exec.CommandContext(ctx, "sh", "-c", "exec sleep 30").Output()
}

// Never cancelled: exec.Command, no kill.
func neverCancelled(script string) ([]byte, error) {
	return exec.Command("sh", "-c", script).Output()
}

// context.Background is never done.
func backgroundContext(script string) ([]byte, error) {
	return exec.CommandContext(context.Background(), "sh", "-c", script).Output()
}

// A shell not given -c runs a script file: not checked.
func scriptFile(ctx context.Context, path string) ([]byte, error) {
	return exec.CommandContext(ctx, "bash", path).Output()
}

// A command line the code chose, in a slice literal of constants.
func chosenLine(ctx context.Context) ([]byte, error) {
	argv := []string{"git", "status"}
	return exec.CommandContext(ctx, argv[0], argv[1:]...).Output()
}

// A Cancel that calls something this package cannot see may kill the tree.
func opaqueCancel(ctx context.Context, script string, killTree func(int) error) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Cancel = func() error { return killTree(cmd.Process.Pid) }
	return cmd.Output()
}

// The pid given to a tree killer.
func treeKill(script string, killTree func(int)) error {
	cmd := exec.Command("sh", "-c", script)
	if err := cmd.Start(); err != nil {
		return err
	}
	killTree(cmd.Process.Pid)
	cmd.Process.Kill()
	return cmd.Wait()
}

// Handed to unknown code before it runs: it may set WaitDelay.
func handedOff(ctx context.Context, script string, configure func(*exec.Cmd)) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	configure(cmd)
	return cmd.Output()
}

// Setpgid, and the kill reaches only the leader.
func leaderOnly() error {
	cmd := exec.Command("ffmpeg", "-i", "in.mp4", "out.webm")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	cmd.Process.Signal(syscall.SIGTERM) // want `cmd.Process.Signal signals only the child, which SysProcAttr.Setpgid made the leader of a process group of its own: the rest of the group runs on; signal the group with syscall.Kill\(-cmd.Process.Pid, sig\)`
	return cmd.Wait()
}

// Kill(-pid) of a command never put in a group: ESRCH, nothing killed.
func noGroup() error {
	cmd := exec.Command("ffmpeg", "-i", "in.mp4", "out.webm")
	if err := cmd.Start(); err != nil {
		return err
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // want `syscall.Kill\(-pid, …\) signals a process group the command was never put in \(no SysProcAttr.Setpgid or Setsid\): the kill fails with ESRCH and the child runs on; set cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} before Start`
	return cmd.Wait()
}

// A SysProcAttr made elsewhere may set Setpgid: not reported.
func attrElsewhere(attr func() *syscall.SysProcAttr) error {
	cmd := exec.Command("ffmpeg", "-i", "in.mp4", "out.webm")
	cmd.SysProcAttr = attr()
	if err := cmd.Start(); err != nil {
		return err
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	return cmd.Wait()
}

// Output to an *os.File and a kill of the shell alone: no hang, but the
// children run on; reported at the CommandContext call, the default
// Cancel doing the kill.
func toFile(ctx context.Context, script string, log *os.File) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", script) // want `the cancel of its context \(exec.CommandContext\) kills only sh .*they run on after the kill`
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

// A wrapper whose callers in the package all name the program: chosen.
func run(ctx context.Context, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, args[0], args[1:]...).Output()
}

func status(ctx context.Context) ([]byte, error) { return run(ctx, "git", "status") }
func fetch(ctx context.Context) ([]byte, error)  { return run(ctx, "git", "fetch", "origin") }

// One caller passes a user's command line: not chosen.
func exec2(ctx context.Context, argv ...string) ([]byte, error) {
	return exec.CommandContext(ctx, argv[0], argv[1:]...).Output() // want `kills only the program \(a command line the code did not choose`
}

func fixed(ctx context.Context) ([]byte, error) { return exec2(ctx, "git", "gc") }
func user(ctx context.Context, line string) ([]byte, error) {
	return exec2(ctx, strings.Fields(line)...)
}
