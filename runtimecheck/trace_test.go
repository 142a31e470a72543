package runtimecheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTraceAdapterCompiles builds runtimecheck with the lifeguard_trace tag
// over the contract's overlay API (signatures only, in
// testdata/runtimecheck/traceapi), so that trace_on.go, which only compiles
// in lifeguard test's builds, is checked by every go test.
func TestTraceAdapterCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	out, err := exec.Command(goCommand(), "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	api, err := filepath.Abs("../testdata/runtimecheck/traceapi")
	if err != nil {
		t.Fatal(err)
	}
	overlay := map[string]map[string]string{"Replace": {
		filepath.Join(goroot, "src/os/zz_lifeguard_trace.go"):      filepath.Join(api, "os.go.txt"),
		filepath.Join(goroot, "src/io/zz_lifeguard_trace.go"):      filepath.Join(api, "io.go.txt"),
		filepath.Join(goroot, "src/testing/zz_lifeguard_trace.go"): filepath.Join(api, "testing.go.txt"),
	}}
	b, err := json.Marshal(overlay)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCommand(), "vet", "-tags", "lifeguard_trace", "-overlay", file, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet -tags lifeguard_trace over the contract's API: %v\n%s", err, out)
	}
}

func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
