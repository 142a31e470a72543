package lgtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func installedGoEnv(t *testing.T) goEnv {
	t.Helper()
	env, err := readGoEnv(".")
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// Every hook point exists in the installed GOROOT, each edit stays on its
// line, and the new files lose their ignore tag but keep their line count.
func TestOverlayHookPoints(t *testing.T) {
	env := installedGoEnv(t)
	files, err := overlayFiles(env)
	if err != nil {
		t.Fatal(err)
	}
	perFile := make(map[string]int)
	for _, h := range overlayHooks {
		perFile[h.file]++
	}
	for file, n := range perFile {
		name := filepath.Join(env.goroot, "src", filepath.FromSlash(file))
		orig, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		edited, ok := files[name]
		if !ok {
			t.Errorf("%s is not in the overlay", file)
			continue
		}
		a, b := strings.Split(string(orig), "\n"), strings.Split(string(edited), "\n")
		if len(a) != len(b) {
			t.Errorf("%s: %d lines, the original has %d: line numbers moved", file, len(b), len(a))
			continue
		}
		changed := 0
		for i := range a {
			if a[i] != b[i] {
				changed++
				if !strings.Contains(b[i], strings.TrimSpace(a[i])) || !strings.Contains(b[i], "lifeguard") {
					t.Errorf("%s:%d: %q became %q, which is not the line with a call added", file, i+1, a[i], b[i])
				}
			}
		}
		if changed != n {
			t.Errorf("%s: %d lines changed, want one per hook point (%d)", file, changed, n)
		}
	}
	for _, pkg := range overlaidPackages {
		name := filepath.Join(env.goroot, "src", pkg, "zz_lifeguard_trace.go")
		src, ok := files[name]
		if !ok {
			t.Errorf("no new file %s", name)
			continue
		}
		embedded, err := overlaySources.ReadFile("overlay/" + pkg + "/zz_lifeguard_trace.go")
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(src), "\n")
		if first != "//" || strings.Count(string(src), "\n") != strings.Count(string(embedded), "\n") {
			t.Errorf("%s: the ignore tag is not replaced by an empty comment line", name)
		}
	}
}

// fakeGOROOT copies the files the hooks edit into a temporary GOROOT.
func fakeGOROOT(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	goroot := installedGoEnv(t).goroot
	for _, h := range overlayHooks {
		src := filepath.Join(goroot, "src", filepath.FromSlash(h.file))
		dst := filepath.Join(root, "src", filepath.FromSlash(h.file))
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A GOROOT without a hook point is refused with a message naming the Go
// version, the hook and the file.
func TestOverlayMissingHook(t *testing.T) {
	for _, h := range overlayHooks {
		root := fakeGOROOT(t)
		name := filepath.Join(root, "src", filepath.FromSlash(h.file))
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// The line as a later Go might have changed it.
		lines := strings.Split(string(data), "\n")
		i, why := findHookLine(lines, h)
		if i < 0 {
			t.Fatalf("%s: %s", h.name, why)
		}
		lines[i] += " // changed"
		if err := os.WriteFile(name, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = overlayFiles(goEnv{goroot: root, version: "go1.99.0"})
		if err == nil {
			t.Errorf("%s: no error for a GOROOT without the hook point", h.name)
			continue
		}
		for _, want := range []string{"go1.99.0", "go env GOVERSION", h.name, name, "docs/lifeguard-test.md"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: the error does not say %q:\n%v", h.name, want, err)
			}
		}
	}
}

func TestGoEnvCheck(t *testing.T) {
	for _, tc := range []struct {
		env  goEnv
		want string
	}{
		{goEnv{goos: "darwin", goroot: "/usr/local/go"}, "linux only"},
		{goEnv{goos: "linux", goroot: "/m/golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64", gomodcache: "/m", version: "go1.26.8"}, "module cache"},
		{goEnv{goos: "linux", goroot: "/usr/local/go", goflags: "-mod=mod -trimpath"}, "-trimpath"},
	} {
		if err := tc.env.check(nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error about %s", tc.env, err, tc.want)
		}
	}
	if err := (goEnv{goos: "linux", goroot: "/usr/local/go", gomodcache: "/root/go/pkg/mod"}).check(nil); err != nil {
		t.Errorf("an installed Go on linux: %v", err)
	}
}
