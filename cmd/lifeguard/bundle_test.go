package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
)

// The go vet analyzers lifeguard bundles run by default, under their own
// names, and go through lifeguard's suppression directives.
func TestBundledAnalyzers(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "./bundled")
	if r.code != driver.ExitFindings || r.stderr != "" {
		t.Fatalf("want exit status 1 and nothing on stderr; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "bundled"), "")

	// Each switches off like lifeguard's own.
	r = lifeguard(t, "-lostcancel=false", "-httpresponse=false", "./bundled")
	checkFindings(t, parseText(t, r.stdout), wantsOf(fixtureWants(t, "bundled"), "sigchanyzer"), "")
}

// The staticcheck checks run only with -staticcheck (or when named), and
// honour staticcheck's //lint:ignore.
func TestStaticcheckChecks(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "./staticcheck")
	if r.code != driver.ExitClean || r.stdout != "" || r.stderr != "" {
		t.Fatalf("without -staticcheck, want no findings; got %v", r)
	}
	r = lifeguard(t, "-staticcheck", "./staticcheck")
	if r.code != driver.ExitFindings || r.stderr != "" {
		t.Fatalf("-staticcheck: want exit status 1 and nothing on stderr; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "staticcheck"), "")

	// A check named by itself runs alone, -staticcheck or not.
	r = lifeguard(t, "-SA1029", "./staticcheck")
	checkFindings(t, parseText(t, r.stdout), wantsOf(fixtureWants(t, "staticcheck"), "SA1029"), "")

	// SA1015 reports only code for Go before 1.23: its fixture is a
	// module of its own.
	r = lifeguard(t, "-staticcheck", "-C", "go122", "./...")
	if r.code != driver.ExitFindings || r.stderr != "" {
		t.Fatalf("-staticcheck on go122: want exit status 1; got %v", r)
	}
	checkFindings(t, parseText(t, r.stdout), fixtureWants(t, "go122"), "")
}

func TestListShowsBundle(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-list")
	for _, a := range suite.Bundled() {
		if !strings.Contains(r.stdout, a.Name+" ") || !strings.Contains(r.stdout, a.URL) {
			t.Errorf("-list does not show %s with %s:\n%s", a.Name, a.URL, r.stdout)
		}
	}
	for _, a := range suite.Staticcheck() {
		if strings.Contains(r.stdout, a.Name+" ") {
			t.Errorf("-list shows %s without -staticcheck:\n%s", a.Name, r.stdout)
		}
	}
	r = lifeguard(t, "-list", "-staticcheck")
	for _, a := range suite.Staticcheck() {
		if !strings.Contains(r.stdout, a.Name+" ") || !strings.Contains(r.stdout, "https://staticcheck.dev/docs/checks/#"+a.Name) {
			t.Errorf("-list -staticcheck does not show %s and its docs:\n%s", a.Name, r.stdout)
		}
	}
}

// In vet-tool mode the staticcheck checks are off unless -staticcheck is
// given; go vet accepts the flag because -flags lists it.
func TestVetToolStaticcheck(t *testing.T) {
	t.Parallel()
	vettool := "-vettool=" + lifeguardBin
	wants := fixtureWants(t, "staticcheck")

	r := run(t, fixtureDir, goTool(), "vet", vettool, "./staticcheck/")
	if r.code != 0 {
		t.Errorf("go vet without -staticcheck: want success; got %v", r)
	}
	r = run(t, fixtureDir, goTool(), "vet", vettool, "-staticcheck", "./staticcheck/")
	if r.code == 0 {
		t.Errorf("go vet -staticcheck: want findings; got %v", r)
	}
	for _, w := range wants {
		if !strings.Contains(r.stderr, w.file+":"+strconv.Itoa(w.line)+":") {
			t.Errorf("go vet -staticcheck does not report %s:\n%s", w, r.stderr)
		}
	}
	r = run(t, fixtureDir, lifeguardBin, "-flags")
	if !strings.Contains(r.stdout, `"Name": "staticcheck"`) {
		t.Errorf("-flags does not list -staticcheck:\n%s", r.stdout)
	}
}
