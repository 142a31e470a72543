package auto_test

import (
	"os/exec"
	"testing"

	"example.com/lgtest/auto"
)

// These tests pass under go test; they never call runtimecheck.

func TestKillNoWait(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	if err := auto.KillNoWait(sleep); err != nil {
		t.Fatal(err)
	}
}

// The shell puts a sleep in the background and exits: Process.Wait
// returns, and the goroutine copying stdout, whose pipe the sleep holds,
// stays, with the pipe.
func TestOutputProcessWait(t *testing.T) {
	if _, err := auto.Output("sh", "-c", "sleep 5 & exit 0"); err != nil {
		t.Fatal(err)
	}
}

func TestNothing(t *testing.T) {}
