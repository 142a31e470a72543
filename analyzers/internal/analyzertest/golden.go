package analyzertest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/txtar"
)

// An Errorer is what TypeCheckGolden reports to: a *testing.T, or a
// recorder in a test of the helper itself.
type Errorer interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// TypeCheckGolden type-checks each analysistest package pkg of the testdata
// directory dir (as analysistest.TestData() gives it: a GOPATH with the
// packages under src) with every file that has a .golden file replaced by
// it, and fails t on any error: what a suggested fix produces must compile.
// A golden file that is a txtar archive (one section per fix message, as
// analysistest.RunWithSuggestedFixes reads it) is checked section by
// section, each replacing the file alone. A package without golden files
// is an error too: the test would check nothing.
func TypeCheckGolden(t Errorer, dir string, pkgs ...string) {
	t.Helper()
	for _, pkg := range pkgs {
		pkgDir := filepath.Join(dir, "src", filepath.FromSlash(pkg))
		goldens, err := filepath.Glob(filepath.Join(pkgDir, "*.go.golden"))
		if err != nil || len(goldens) == 0 {
			t.Errorf("%s: no .go.golden files to type-check", pkg)
			continue
		}
		// Each variant is one overlay: every plain golden file together,
		// or one section of an archive.
		plain := map[string][]byte{}
		var variants []map[string][]byte
		for _, g := range goldens {
			content, err := os.ReadFile(g)
			if err != nil {
				t.Fatalf("%v", err)
			}
			file := strings.TrimSuffix(g, ".golden")
			if ar := txtar.Parse(content); len(ar.Files) > 0 && bytes.HasPrefix(content, []byte("-- ")) {
				for _, section := range ar.Files {
					variants = append(variants, map[string][]byte{file: section.Data})
				}
				continue
			}
			plain[file] = content
		}
		if len(plain) > 0 {
			variants = append(variants, plain)
		}
		for _, overlay := range variants {
			typeCheck(t, dir, pkg, overlay)
		}
	}
}

func typeCheck(t Errorer, dir, pkg string, overlay map[string][]byte) {
	t.Helper()
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps,
		Dir:     dir,
		Env:     append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off", "GOFLAGS="),
		Overlay: overlay,
		Tests:   false,
	}
	loaded, err := packages.Load(cfg, pkg)
	if err != nil {
		t.Fatalf("loading %s with its golden files: %v", pkg, err)
	}
	if len(loaded) == 0 {
		t.Fatalf("loading %s with its golden files: no package", pkg)
	}
	for _, p := range loaded {
		for _, e := range p.Errors {
			t.Errorf("%s with its golden files does not compile: %v", pkg, e)
		}
	}
}
