package regress

import (
	"bytes"
	"os/exec"
	"testing"
	"time"
)

// GOROOT's cgo tests run the binaries they built, through cmdToRun's exec
// wrapper: element 0 of a []string, but the test's own choice
// (cmd/cgo/internal/testcarchive/carchive_test.go, crypto/tls's
// handshake_client_test.go).
var bin []string

func TestSignalForwarding(t *testing.T) {
	cmd := exec.Command(bin[0], bin[1:]...)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	cmd.Wait()
}
