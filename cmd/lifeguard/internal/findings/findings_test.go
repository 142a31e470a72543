package findings

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// pathResult stands for the result of one of lifeguard's analyzers: the
// Details of its diagnostics, by message.
type pathResult map[string]suite.Detail

func testDetailOf(result any, d analysis.Diagnostic) (suite.Detail, bool) {
	r, _ := result.(pathResult)
	det, ok := r[d.Message]
	return det, ok
}

// TestFindingsCarryDetails builds, by hand, the outcome of a package and
// its test variant that share a file: a finding whose analyzer gave a
// Detail carries its path as positions, its fingerprint and the function
// it is in, once although both variants report it; a bundled analyzer's
// finding has no path and no fingerprint.
func TestFindingsCarryDetails(t *testing.T) {
	defer func(saved func(any, analysis.Diagnostic) (suite.Detail, bool)) { detailOf = saved }(detailOf)
	detailOf = testDetailOf

	fset := token.NewFileSet()
	const name = "/m/svc/run.go"
	src := "package svc\n\nfunc Run() {\n\tcmd.Start()\n\tif err != nil {\n\t\treturn\n\t}\n}\n"
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	tf := fset.File(file.FileStart)
	at := func(line, col int) token.Pos { return tf.LineStart(line) + token.Pos(col-1) }
	posn := func(line, col int) token.Position {
		return token.Position{Filename: name, Offset: int(at(line, col)) - tf.Base(), Line: line, Column: col}
	}

	cmdwait := &analysis.Analyzer{Name: "cmdwait"}
	lostcancel := &analysis.Analyzer{Name: "lostcancel"}
	const msg = "cmd.Start without Wait on the path returning at run.go:6"
	start := analysis.Diagnostic{Pos: at(4, 2), End: at(4, 13), Message: msg}
	result := pathResult{msg: {
		Path: []suite.Step{
			{Pos: at(4, 2), End: at(4, 13), Message: "cmd.Start starts the child"},
			{Pos: at(6, 3), Message: "the path returns here without cmd.Wait"},
		},
		Fingerprint: "cmd.Start without Wait on the path returning at run.go",
	}}
	pkg := NewPackage(&packages.Package{ID: "example.com/svc", Fset: fset, GoFiles: []string{name}, Syntax: []*ast.File{file}}, true)
	pkg.AddAction(fset, lostcancel, nil, []analysis.Diagnostic{{Pos: at(3, 1), Message: "the cancel function is not used on all paths"}}, nil, false, false)
	pkg.AddAction(fset, cmdwait, result, []analysis.Diagnostic{start}, nil, false, false)
	testPkg := NewPackage(&packages.Package{ID: "example.com/svc [example.com/svc.test]", Fset: fset, GoFiles: []string{name}, Syntax: []*ast.File{file}}, true)
	testPkg.AddAction(fset, cmdwait, result, []analysis.Diagnostic{start}, nil, false, false)

	rep := New([]*Package{pkg, testPkg}, []*analysis.Analyzer{lostcancel, cmdwait}, positions.NewDisplay("/m"), positions.NewDisplay("/m"))
	list := rep.Findings
	if len(list) != 2 {
		t.Fatalf("%d findings, want 2 (the test variant's the same as the package's)", len(list))
	}
	bundled, own := list[0], list[1]
	if bundled.Analyzer != lostcancel || bundled.Path != nil || bundled.Fingerprint != "" {
		t.Errorf("the bundled analyzer's finding: %+v, want no path and no fingerprint", bundled)
	}
	wantPath := []Location{
		{Posn: posn(4, 2), End: posn(4, 13), Message: "cmd.Start starts the child"},
		{Posn: posn(6, 3), End: posn(6, 3), Message: "the path returns here without cmd.Wait"}, // End: NoPos
	}
	if own.Analyzer != cmdwait || !reflect.DeepEqual(own.Path, wantPath) {
		t.Errorf("path %+v, want %+v", own.Path, wantPath)
	}
	if want := "cmd.Start without Wait on the path returning at run.go"; own.Fingerprint != want {
		t.Errorf("fingerprint %q, want %q", own.Fingerprint, want)
	}
	if own.Decl != "Run" || own.Package != pkg {
		t.Errorf("finding in %q of %v, want Run of the package", own.Decl, own.Package.ID)
	}
}
