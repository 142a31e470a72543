// Package directives holds suppression directives that no analyzer of the
// suite can act on.
package directives

import "os/exec"

func unknownName() {
	//lifeguard:ignore zombies it names no analyzer of the suite // want `//lifeguard:ignore names unknown analyzer zombies: it suppresses nothing; use one of SA1012, SA1015, SA1029, SA2000, SA2002, cmdcancel, cmdwait, ctxbreak, defercancel, handlerrecover, httpresponse, lostcancel, pipedrain, shutdown, sigchanyzer`
	_ = exec.Command("true").Run()
}

func noName() {
	//lifeguard:ignore // want `malformed //lifeguard:ignore directive: it names no analyzer`
	_ = exec.Command("true").Run()
}
