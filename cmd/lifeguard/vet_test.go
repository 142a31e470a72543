package main

import (
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
)

// TestLifeguardVet: lifeguard vet prints, through go vet and its cache,
// what the standalone command prints (findings, related positions, exit
// status), and passes go vet's JSON through with -json.
func TestLifeguardVet(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"./bad/", "./good/"} {
		standalone := lifeguard(t, dir)
		vet := lifeguard(t, "vet", dir)
		if vet.code != standalone.code || vet.stdout != standalone.stdout {
			t.Errorf("lifeguard vet %s: %v\nwant the standalone run's\n%v", dir, vet, standalone)
		}
		if vet.stderr != "" {
			t.Errorf("lifeguard vet %s: stderr %q", dir, vet.stderr)
		}
	}
	if r := lifeguard(t, "vet", "./bad/"); r.code != driver.ExitFindings || !strings.Contains(r.stdout, "(cmdwait)") {
		t.Errorf("lifeguard vet ./bad/ again (from the go command's cache): %v", r)
	}
	r := lifeguard(t, "vet", "-json", "./bad/")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") || !strings.Contains(r.stdout, `"cmdwait": [`) {
		t.Errorf("lifeguard vet -json ./bad/: want go vet's JSON and exit status 0; got %v", r)
	}
	// -C goes first to the go command; file names stay relative to the
	// current directory, as the standalone command shows them.
	if r, want := run(t, t.TempDir(), lifeguardBin, "vet", "-C", fixtureDir, "./bad/"), run(t, t.TempDir(), lifeguardBin, "-C", fixtureDir, "./bad/"); r.code != driver.ExitFindings || r.stdout != want.stdout {
		t.Errorf("lifeguard vet -C %s ./bad/: %v\nwant the standalone run's\n%v", fixtureDir, r, want)
	}
	if r := lifeguard(t, "vet", "./broken/"); r.code != driver.ExitError || !strings.Contains(r.stderr, "broken.go:5:17:") {
		t.Errorf("lifeguard vet ./broken/: want exit status 2 and the type error; got %v", r)
	}
}
