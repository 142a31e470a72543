// Package factorylib is imported by pipedrain/factory: its factories are
// known there by their facts only (the commands they return, and the pipes
// of each they return beside it).
package factorylib

import (
	"io"
	"os"
	"os/exec"
)

// StartCmd starts a command and returns it with its stdout and stderr
// pipes: its callers must read both, concurrently, before Wait.
func StartCmd(name string, args ...string) (*exec.Cmd, io.ReadCloser, io.ReadCloser, error) { // want StartCmd:`returns\(cmd0 started cleanup StdoutPipe1 StderrPipe2\)`
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, err
	}
	return cmd, stdout, stderr, nil
}

// StartFilter starts a filter and returns its stdin and stdout pipes.
func StartFilter(name string) (*exec.Cmd, io.WriteCloser, io.ReadCloser, error) { // want StartFilter:`returns\(cmd0 started cleanup StdinPipe1 StdoutPipe2\)`
	cmd := exec.Command(name)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	return cmd, stdin, stdout, cmd.Start()
}

// NewCmd returns an unstarted command whose stdout pipe is taken: its
// callers Start it, read the pipe, then Wait.
func NewCmd(name string, args ...string) (*exec.Cmd, io.ReadCloser) { // want NewCmd:`returns\(cmd0 cleanup StdoutPipe1\)`
	cmd := exec.Command(name, args...)
	out, _ := cmd.StdoutPipe()
	return cmd, out
}

// A Sink reads what the commands it is given print.
type Sink struct{ r io.Reader }

// NewLogged returns a command whose stdout pipe the sink keeps: the pipe
// is not its callers' to read.
func NewLogged(name string, s *Sink) *exec.Cmd { // want NewLogged:`returns\(cmd0 cleanup\)`
	cmd := exec.Command(name)
	out, _ := cmd.StdoutPipe()
	s.r = out
	return cmd
}

// StartCopying starts a command whose stdout it copies in a goroutine of
// its own: the pipe is drained here, and not returned.
func StartCopying(name string) (*exec.Cmd, error) { // want StartCopying:`returns\(cmd0 started cleanup\)`
	cmd := exec.Command(name)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go io.Copy(os.Stdout, out)
	return cmd, nil
}
