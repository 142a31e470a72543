// Package suite lists lifeguard's analyzers in the order the binary, the vet
// tool and the golangci-lint plugin present them.
package suite

import (
	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

// Analyzers returns lifeguard's own analyzers. The slice is new on each call;
// the analyzers are shared.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		cmdwait.Analyzer,
		pipedrain.Analyzer,
	}
}
