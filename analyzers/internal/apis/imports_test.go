package apis_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

func TestImportsAndUses(t *testing.T) {
	const src = `package p

import (
	"os/exec"
	"strings"
)

func f() { _ = exec.Command("true").Run(); _ = strings.ToUpper("x") }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.ForCompiler(fset, "source", nil)}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	named := func(name string) func(*types.Func) bool {
		return func(fn *types.Func) bool { return fn.Name() == name }
	}
	for _, c := range []struct {
		path, fn string
		want     bool
	}{
		{"os/exec", "Run", true},
		{"os/exec", "ToUpper", true}, // any function used, once the package is imported
		{"os/exec", "Start", false},  // not used
		{"syscall", "Run", false},    // not imported
	} {
		if got := apis.ImportsAndUses(info, pkg.Imports(), named(c.fn), c.path); got != c.want {
			t.Errorf("ImportsAndUses(%s, %s) = %v, want %v", c.path, c.fn, got, c.want)
		}
	}
	if !apis.ImportsAndUses(info, pkg.Imports(), named("Run"), "syscall", "os/exec") {
		t.Error("ImportsAndUses(Run, syscall or os/exec) = false")
	}
}
