package main

import "io"

func init() { registerFormat("json", jsonFormat{}) }

// jsonFormat prints the standard go/analysis JSON tree, exactly what
// go vet -json and the x/tools multichecker print: an object keyed by
// package ID, then by analyzer name, holding either the diagnostics or
// {"error": "..."}. File names are absolute. Being the standard, it is not
// de-duplicated: a package and its test variant are separate keys.
type jsonFormat struct{}

func (jsonFormat) findingsAreFailure() bool { return false }

func (jsonFormat) write(w io.Writer, rep *report) error {
	return rep.graph.PrintJSON(w)
}
