// Package lazyssa builds the SSA form of a package only when the package
// refers to an API some lifeguard analyzer watches. Most packages of a
// program never touch os/exec, pipes or processes; for them this costs a scan
// of the type checker's Uses map instead of an SSA build.
package lazyssa

import (
	"fmt"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

// Analyzer's result is a *buildssa.SSA, or nil when the package refers to
// no watched API.
var Analyzer = &analysis.Analyzer{
	Name:       "lifeguardssa",
	Doc:        "build SSA (via buildssa) for packages that use APIs lifeguard watches",
	URL:        "https://github.com/lifeguard-go/lifeguard",
	Run:        run,
	Requires:   buildssa.Analyzer.Requires, // buildssa's own run is called below
	ResultType: reflect.TypeFor[*buildssa.SSA](),
}

var _ = ctrlflow.Analyzer // buildssa.Analyzer.Requires is [ctrlflow.Analyzer]

func run(pass *analysis.Pass) (result any, err error) {
	if !apis.Watched(pass.TypesInfo, pass.Pkg.Imports()) {
		return (*buildssa.SSA)(nil), nil
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = (*buildssa.SSA)(nil), fmt.Errorf("building SSA for %s: internal error: %v", pass.Pkg.Path(), r)
		}
	}()
	return buildssa.Analyzer.Run(pass)
}
