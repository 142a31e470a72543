package regress

import "syscall"

// syscall/exec_unix_test.go, TestForkExecNilArgv: a call of ForkExec whose
// results are not looked at probes the call itself (here that it does not
// panic); /dev/null fails to exec, and ForkExec reaps a child that fails.
func forkExecNilArgv() {
	syscall.ForkExec("/dev/null", nil, nil)
}
