package regress

import (
	"context"
	"syscall"
)

// os.StartProcess itself (os/exec_posix.go): the pid of
// syscall.StartProcess goes into the *os.Process that os's newProcess
// returns. The first version of the raw-fork rule took every function of
// the standard library for one that only looks at a pid; a standard
// function may keep it in what it returns, as context.WithValue does here.
type pidKey struct{}

func startInContext(ctx context.Context, name string, attr *syscall.ProcAttr) (context.Context, error) {
	pid, _, err := syscall.StartProcess(name, []string{name}, attr)
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, pidKey{}, pid), nil
}
