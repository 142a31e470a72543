package findings

import (
	"go/token"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// pathResult stands for the result of one of lifeguard's analyzers: the
// Details of its diagnostics, by message.
type pathResult map[string]suite.Detail

func detailOf(result any, d analysis.Diagnostic) (suite.Detail, bool) {
	r, _ := result.(pathResult)
	det, ok := r[d.Message]
	return det, ok
}

// TestFindingsCarryDetails builds, by hand, the graph of a package and its
// test variant that share a file: a finding whose analyzer gave a Detail
// carries its path as positions and its fingerprint, once although both
// variants report it; a bundled analyzer's finding has neither.
func TestFindingsCarryDetails(t *testing.T) {
	fset := token.NewFileSet()
	const name = "/m/svc/run.go"
	src := "package svc\n\nfunc Run() {\n\tcmd.Start()\n\tif err != nil {\n\t\treturn\n\t}\n}\n"
	tf := fset.AddFile(name, -1, len(src))
	tf.SetLinesForContent([]byte(src))
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
	pkg := &packages.Package{ID: "example.com/svc", Fset: fset}
	testPkg := &packages.Package{ID: "example.com/svc [example.com/svc.test]", Fset: fset}
	graph := &checker.Graph{Roots: []*checker.Action{
		{Analyzer: lostcancel, Package: pkg, Diagnostics: []analysis.Diagnostic{{Pos: at(3, 1), Message: "the cancel function is not used on all paths"}}},
		{Analyzer: cmdwait, Package: pkg, Result: result, Diagnostics: []analysis.Diagnostic{start}},
		{Analyzer: cmdwait, Package: testPkg, Result: result, Diagnostics: []analysis.Diagnostic{start}},
	}}

	list := rootFindings(graph, detailOf)
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
}
