package output

import (
	"io"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

func init() { register("json", func(Options) Format { return jsonFormat{} }) }

// jsonFormat prints the standard go/analysis JSON tree, exactly what
// go vet -json and the x/tools multichecker print: an object keyed by
// package ID, then by analyzer name, holding either the diagnostics or
// {"error": "..."}. File names are absolute. Being the standard, it is not
// de-duplicated: a package and its test variant are separate keys.
type jsonFormat struct{}

func (jsonFormat) FindingsAreFailure() bool { return false }

func (jsonFormat) Write(w io.Writer, rep *findings.Report) error {
	return rep.Graph.PrintJSON(w)
}
