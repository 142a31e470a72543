// Package session is gomega's gexec in small: Start starts the command it
// is given and keeps it in a Session, whose goroutine waits for it.
package session

import (
	"io"
	"os/exec"
)

type Session struct {
	Command *exec.Cmd
	Exited  chan struct{}
}

func Start(command *exec.Cmd, out io.Writer) (*Session, error) {
	s := &Session{Command: command, Exited: make(chan struct{})}
	command.Stdout = out
	err := command.Start()
	if err == nil {
		go s.monitor()
	}
	return s, err
}

func (s *Session) monitor() {
	s.Command.Wait()
	close(s.Exited)
}
