package supervise

import (
	"net"
	"os"
	"os/exec"
)

// Upgrade starts a new copy of the running binary that inherits ln as fd 3,
// for a restart without dropping connections. The caller exits as soon as
// Upgrade returns; the new process is then reparented to init, which reaps
// it. Not waiting is deliberate here, and the directive below says so.
func Upgrade(ln *net.TCPListener) error {
	f, err := ln.File()
	if err != nil {
		return err
	}
	defer f.Close()
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{f}
	cmd.Env = append(os.Environ(), "LISTEN_FDS=1")
	//lifeguard:ignore cmdwait the caller exits right after; init reaps the new process
	return cmd.Start()
}
