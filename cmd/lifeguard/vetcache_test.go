package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestVetToolCached proves what docs/integrations.md tells monorepos: the
// go command caches go vet -vettool=lifeguard per package, findings
// included, so that a shared build cache (GOCACHEPROG) spreads the results.
// The tool is a script that logs each package it is started on and runs
// lifeguard: a second run on the unchanged module starts it on no package
// and prints the same findings, and after an edit of one package nothing
// imports, that package alone is analyzed again.
func TestVetToolCached(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	module := filepath.Join(dir, "m")
	// The edit is new on every run of the test, so that no earlier run
	// has it in the cache.
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	writeFile := func(name, src string) {
		t.Helper()
		name = filepath.Join(module, name)
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("go.mod", "module example.com/vetcache\n\ngo 1.22\n")
	writeFile("lib/lib.go", "package lib\n\nimport \"os/exec\"\n\n// Run starts a command.\nfunc Run() *exec.Cmd {\n\tcmd := exec.Command(\"true\")\n\t_ = cmd.Start()\n\treturn cmd\n}\n")
	writeFile("svc/svc.go", "package svc\n\nimport (\n\t\"os/exec\"\n\n\t\"example.com/vetcache/lib\"\n)\n\n// Leak never waits. // "+stamp+"\nfunc Leak() {\n\t_ = exec.Command(\"true\").Start()\n\t_ = lib.Run()\n}\n")
	writeFile("tool/tool.go", "package tool\n\n// Nothing imports this package.\nfunc Tool() int { return 1 }\n")

	log := filepath.Join(dir, "started")
	tool := filepath.Join(dir, "lifeguard-logged")
	script := "#!/bin/sh\n" +
		"for a; do last=$a; done\n" +
		"case $last in *.cfg) sed -n 's/.*\"ImportPath\": \"\\([^\"]*\\)\".*/\\1/p' \"$last\" >> '" + log + "';; esac\n" +
		"exec '" + lifeguardBin + "' \"$@\"\n"
	if err := os.WriteFile(tool, []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	vet := func(step string) (started []string, stderr string) {
		t.Helper()
		os.Remove(log)
		r := run(t, module, goTool(), "vet", "-vettool="+tool, "./...")
		if r.code == 0 || !strings.Contains(r.stderr, "svc.go:11:") {
			t.Fatalf("%s: go vet: want the finding in svc.go and a failure; got %v", step, r)
		}
		data, _ := os.ReadFile(log)
		for _, path := range strings.Fields(string(data)) {
			if strings.HasPrefix(path, "example.com/vetcache") {
				started = append(started, path)
			}
		}
		slices.Sort(started)
		return started, r.stderr
	}

	// The first run analyzes svc, new on every run of the test; what else
	// it starts depends on what the cache holds already.
	if started, _ := vet("first run"); !slices.Contains(started, "example.com/vetcache/svc") {
		t.Errorf("first run started lifeguard on %q; want svc among them", started)
	}
	started, first := vet("second run")
	if len(started) != 0 {
		t.Errorf("second run on the unchanged module started lifeguard on %q; want no package (the go command's cache)", started)
	}
	if again, _ := vet("third run"); len(again) != 0 {
		t.Errorf("third run started lifeguard on %q; want none", again)
	}
	_, second := vet("fourth run")
	if first != second {
		t.Errorf("cached findings differ:\n%s\nagainst\n%s", second, first)
	}

	writeFile("tool/tool.go", "package tool\n\n// Nothing imports this package. "+stamp+"\nfunc Tool() int { return 2 }\n")
	if started, _ := vet("after editing tool"); !slices.Equal(started, []string{"example.com/vetcache/tool"}) {
		t.Errorf("after an edit of tool, go vet started lifeguard on %q; want tool alone", started)
	}
}
