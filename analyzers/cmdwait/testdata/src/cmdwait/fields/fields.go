// Package fields keeps commands in struct fields: per field, a type whose
// methods start or kill its command and nothing waits for it.
package fields

import (
	"os"
	"os/exec"
)

// Supervisor starts in Start, kills in Stop, and waits in a goroutine
// started by Start.
type Supervisor struct {
	cmd  *exec.Cmd
	done chan error
}

func (s *Supervisor) Start() error {
	s.cmd = exec.Command("server")
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	return nil
}

func (s *Supervisor) Stop() error {
	_ = s.cmd.Process.Kill()
	return <-s.done
}

// Pager starts and kills, never waits; Other's Wait is another field's.
type Pager struct{ cmd *exec.Cmd }

func (p *Pager) Open() error {
	p.cmd = exec.Command("less")
	return p.cmd.Start() // want `p.cmd.Start without Wait: nothing in this package waits for the command kept in field cmd of Pager, so the child becomes a zombie and its pipes leak; call p.cmd.Wait where the command is stopped`
}

func (p *Pager) Close() error { return p.cmd.Process.Kill() }

type Other struct{ cmd *exec.Cmd }

func (o *Other) Run() error {
	o.cmd = exec.Command("x")
	if err := o.cmd.Start(); err != nil {
		return err
	}
	return o.cmd.Wait()
}

// Closer waits in Close.
type Closer struct{ cmd *exec.Cmd }

func (c *Closer) Start() error {
	cmd := exec.Command("x")
	if err := cmd.Start(); err != nil {
		return err
	}
	c.cmd = cmd
	return nil
}

func (c *Closer) Close() error {
	_ = c.cmd.Process.Kill()
	return c.cmd.Wait()
}

// Local starts a local command, keeps it, and only signals it.
type Local struct{ cmd *exec.Cmd }

func (l *Local) Start() error {
	cmd := exec.Command("x")
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait: nothing in this package waits for the command kept in field cmd of Local`
		return err
	}
	l.cmd = cmd
	return nil
}

func (l *Local) Stop() { _ = l.cmd.Process.Signal(os.Interrupt) }

// Escaper gives its command away: whoever gets it may wait.
type Escaper struct{ cmd *exec.Cmd }

func (e *Escaper) Start() error {
	e.cmd = exec.Command("x")
	return e.cmd.Start()
}

func (e *Escaper) Cmd() *exec.Cmd { return e.cmd }

// Killer is given a command that something else started: the kill is
// reported, since nothing here starts it.
type Killer struct {
	cmd  *exec.Cmd
	proc *os.Process
}

func NewKiller(cmd *exec.Cmd, p *os.Process) *Killer { return &Killer{cmd: cmd, proc: p} }

func (k *Killer) Stop() {
	_ = k.cmd.Process.Kill() // want `k.cmd.Process.Kill without Wait: nothing in this package waits for the child kept in field cmd of Killer, so once killed it stays a zombie; call k.cmd.Wait after killing it`
	// The *os.Process given to NewKiller may be anyone's: only a
	// process known to be a child (os.StartProcess, a command's
	// Process) is reported.
	_ = k.proc.Signal(os.Interrupt)
}

// Spawner keeps the process os.StartProcess made: a child.
type Spawner struct{ proc *os.Process }

func NewSpawner() (*Spawner, error) {
	p, err := os.StartProcess("/bin/x", nil, &os.ProcAttr{})
	if err != nil {
		return nil, err
	}
	return &Spawner{proc: p}, nil
}

func (s *Spawner) Stop() {
	_ = s.proc.Signal(os.Interrupt) // want `s.proc.Signal without Wait: nothing in this package waits for the child kept in field proc of Spawner`
}

// Svc builds commands in a method and runs them.
type Svc struct {
	dir string
	cmd *exec.Cmd
}

func (s *Svc) newCmd(args ...string) *exec.Cmd { // want newCmd:`returns\(cmd0\)`
	c := exec.Command("tool", args...)
	c.Dir = s.dir
	return c
}

func (s *Svc) Do() error { return s.newCmd("x").Run() }

func (s *Svc) Start() error {
	s.cmd = s.newCmd("serve")
	return s.cmd.Start()
}

func (s *Svc) Wait() error { return s.cmd.Wait() }
