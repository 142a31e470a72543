package driver

import (
	"go/ast"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// A panic in an analyzer must become an error for that (analyzer, package)
// and leave the rest of the run, and the process, alone: what the binary
// makes of every analyzer with suite.GuardPanics.
func TestPanicBecomesError(t *testing.T) {
	fixtureDir, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "testdata", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	boom := &analysis.Analyzer{
		Name: "boom",
		Doc:  "panic on package good",
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Path() == "example.com/e2e/good" {
				panic("boom")
			}
			return nil, nil
		},
	}
	// depBoom uses facts, so it runs on the dependencies too, and panics
	// on one of them: the roots then fail as "failed prerequisites",
	// which is not worth a line of its own.
	depBoom := &analysis.Analyzer{
		Name:      "depboom",
		Doc:       "panic on package io",
		FactTypes: []analysis.Fact{new(noopFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Path() == "io" {
				var none []*ast.File
				_ = none[len(pass.Files)-1] // a runtime error, not a call to panic
			}
			return nil, nil
		},
	}
	// calm reports one finding in each package, panicking nowhere.
	calm := &analysis.Analyzer{
		Name: "calm",
		Doc:  "report the package clause of the first file",
		Run: func(pass *analysis.Pass) (any, error) {
			pass.Reportf(pass.Files[0].Package, "still here")
			return nil, nil
		},
	}
	analyzers := []*analysis.Analyzer{boom, depBoom, calm}
	suite.GuardPanics(analyzers)
	suite.GuardPanics(analyzers) // idempotent: a second wrapper would not hurt, but is not wanted

	rep, err := Analyze(&Request{
		Dir:       fixtureDir,
		Patterns:  []string{"./good"},
		Analyzers: analyzers,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 2 {
		t.Fatalf("want 2 errors, got %d:\n%s", len(rep.Errors), strings.Join(rep.Errors, "\n"))
	}
	all := strings.Join(rep.Errors, "\n")
	for _, want := range []string{
		"analyzer depboom failed on io: internal error: panic: runtime error: index out of range",
		"analyzer boom failed on example.com/e2e/good: internal error: panic: boom\n",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("errors do not include %q:\n%s", want, all)
		}
	}
	// The stack starts at the panicking function and stops at Run.
	for _, e := range rep.Errors {
		_, stack, _ := strings.Cut(e, "\n")
		if !strings.HasPrefix(stack, "github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver.TestPanicBecomesError.func") ||
			!strings.Contains(stack, "guard_test.go:") || strings.Contains(stack, "checker") {
			t.Errorf("the stack is not the analyzer's:\n%s", stack)
		}
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Analyzer != calm {
		t.Errorf("the analyzer that did not panic should still report one finding; got %d", len(rep.Findings))
	}
}
