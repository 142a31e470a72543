package flags

import "os/exec"

// Reap and (*supervisor).Adopt are declared in -wait-funcs by the test.
type supervisor struct{}

func (*supervisor) Adopt(cmd *exec.Cmd) {} // want Adopt:`params\(borrows\[1\]\)`

func Reap(cmd *exec.Cmd) {} // want Reap:`params\(borrows\[0\]\)`

func adopted(s *supervisor) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	s.Adopt(cmd)
	return nil
}

func reaped() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	Reap(cmd)
	return nil
}
