// Package ssatest builds the SSA form of small programs for the unit tests
// of the shared analysis layers (ownership, cfgpath).
package ssatest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// Fset holds the files of every program Build builds, so that positions
// can be read back.
var Fset = token.NewFileSet()

var (
	importOnce sync.Once
	imp        types.Importer // the standard library, from source
	files      atomic.Int32
)

// Build type-checks src, one file of package p that may import the
// standard library, and builds its SSA form (functions checked for sanity).
// Each call gets a file name of its own.
func Build(t testing.TB, src string) *ssa.Package {
	t.Helper()
	importOnce.Do(func() { imp = importer.ForCompiler(Fset, "source", nil) })
	f, err := parser.ParseFile(Fset, fmt.Sprintf("p%d.go", files.Add(1)), src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: imp}, Fset, types.NewPackage("p", "p"), []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}
