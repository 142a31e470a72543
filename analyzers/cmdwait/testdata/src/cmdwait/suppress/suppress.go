package suppress

import "os/exec"

func ignoredAbove() {
	cmd := exec.Command("daemon")
	//lifeguard:ignore cmdwait the daemon outlives us on purpose; init reaps it
	_ = cmd.Start()
}

func ignoredSameLine() {
	cmd := exec.Command("daemon")
	_ = cmd.Start() //lifeguard:ignore cmdwait detached on purpose
}

func nolintSuite() {
	cmd := exec.Command("daemon")
	_ = cmd.Start() //nolint:lifeguard // detached
}

func nolintAnalyzer() {
	cmd := exec.Command("daemon")
	_ = cmd.Start() //nolint:errcheck,cmdwait
}

func nolintOtherAnalyzer() {
	cmd := exec.Command("daemon")
	_ = cmd.Start() //nolint:pipedrain // want `cmd.Start without Wait`
}

func ignoreOtherAnalyzer() {
	cmd := exec.Command("daemon")
	_ = cmd.Start() //lifeguard:ignore pipedrain wrong analyzer // want `cmd.Start without Wait`
}

func unusedIgnore() error {
	cmd := exec.Command("true")
	//lifeguard:ignore cmdwait stale // want `unused //lifeguard:ignore cmdwait directive: cmdwait reports nothing on this line or the next; remove the directive`
	return cmd.Run()
}

func noReason() {
	cmd := exec.Command("daemon")
	//lifeguard:ignore cmdwait // want `//lifeguard:ignore cmdwait without a reason`
	_ = cmd.Start() // want `cmd.Start without Wait`
}

func unknownAnalyzer() {
	//lifeguard:ignore zombies whatever // want `//lifeguard:ignore names unknown analyzer zombies`
}
