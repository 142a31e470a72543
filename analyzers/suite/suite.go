// Package suite lists lifeguard's analyzers in the order the binary, the vet
// tool and the golangci-lint plugin present them.
package suite

import (
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

// Analyzers returns lifeguard's own analyzers. The slice is new on each call;
// the analyzers are shared.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		cmdwait.Analyzer,
		pipedrain.Analyzer,
		defercancel.Analyzer,
	}
}

// Running tells the analyzers' shared machinery which analyzers a driver is
// about to run, so that what they share per package (the SSA form) is freed
// as soon as the last of them is done with it. Drivers that run a subset of
// the suite should call it; without it memory is held longer, never lost.
func Running(analyzers []*analysis.Analyzer) { lazyssa.Running(analyzers) }

// Roots tells the analyzers which packages the driver reports findings for
// (nil: all of them). Packages outside the roots are then analyzed only as
// far as their importers need, which for the standard library is not at
// all. Drivers that analyze dependencies for facts should call it.
func Roots(isRoot func(*types.Package) bool) { lazyssa.SetRoots(isRoot) }
