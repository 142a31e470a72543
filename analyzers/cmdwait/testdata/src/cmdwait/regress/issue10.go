package regress

import (
	"io"
	"os"
	"os/exec"

	"cmdwait/regress/session"
)

// gomega's gexec.Start keeps the command in the Session it returns, whose
// goroutine waits for it: it takes the command over, it does not leave the
// Wait to its caller (github.com/onsi/ginkgo/v2 integration tests).
func gexecStyle() {
	cmd := exec.Command("ginkgo", "run")
	s, err := session.Start(cmd, os.Stdout)
	if err != nil {
		panic(err)
	}
	eventuallyExits(s)
}

func eventuallyExits(s any) {}

func newCmd(name string) (*exec.Cmd, error) { return exec.Command(name), nil } // want newCmd:"returns\\(cmd0\\)"

// err is a named result, spilled to memory because of the defer: the check
// "err = cmd.Start(); err == nil" is of a load of it, and still the error
// branch of Start, where nothing was started (rogpeppe/go-internal's
// testscript.exec).
func namedResult(name string) (out string, err error) {
	cmd, err := newCmd(name)
	if err != nil {
		return "", err
	}
	defer func() { out += "!" }()
	if err = cmd.Start(); err == nil {
		err = cmd.Wait()
	}
	return out, err
}

// golang.org/x/tools' gocommand.runCmdContext: the check of Start's error
// (a named result, in memory because of the defers) comes after a branch
// that closes the parent's copy of a pipe end.
func runCmdContext(cmd *exec.Cmd, stdoutW *os.File) (err error) { // want runCmdContext:`params\(waits\[0\] borrows\[0\] starts\[0\]\)`
	defer func() {
		if err != nil {
			err = nil
		}
	}()
	err = cmd.Start()
	if stdoutW != nil {
		stdoutW.Close()
		stdoutW = nil
	}
	if err != nil {
		return err
	}
	return cmd.Wait()
}

// hashicorp/go-plugin's CmdAttachedRunner reattaches to a plugin by pid:
// the process is not a child of this one (its Wait polls the pid), so
// killing it leaves no zombie here.
type attachedRunner struct {
	pid     int
	process *os.Process
}

func reattach(pid int) (*attachedRunner, error) {
	p, err := os.FindProcess(pid)
	if err != nil {
		return nil, err
	}
	return &attachedRunner{pid: pid, process: p}, nil
}

func (c *attachedRunner) Kill() error { return c.process.Kill() }

// air's Engine.startCmd: the pipes it takes are dead (Stdout and Stderr are
// set to the terminal afterwards), and the caller closes them itself, so
// cmd.Process.Wait() leaks nothing cmd.Wait would release.
func startOverridden(command string) (*exec.Cmd, io.ReadCloser, io.ReadCloser, error) { // want startOverridden:`returns\(cmd0 started\)`
	c := exec.Command("/bin/sh", "-c", command)
	stderr, err := c.StderrPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stdout, err := c.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	c.Stdout = os.Stdout
	c.Stderr = os.Stderr
	if err := c.Start(); err != nil {
		return nil, nil, nil, err
	}
	return c, stdout, stderr, nil
}

func runOverridden(command string) (int, error) {
	cmd, stdout, stderr, err := startOverridden(command)
	if err != nil {
		return 0, err
	}
	defer stdout.Close()
	defer stderr.Close()
	state, err := cmd.Process.Wait()
	if err != nil {
		return 0, err
	}
	return state.ExitCode(), nil
}
