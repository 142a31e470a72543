package report

import (
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// A Step is one place on the path a finding is about (the Start, the
// return it leaks on; the pipe, the Wait, the read), with what happens
// there. Steps are in the order control reaches them.
type Step struct {
	Pos, End token.Pos // End may be NoPos
	Message  string
}

// A Detail is what a finding carries beyond its go/analysis Diagnostic.
type Detail struct {
	// Path lists the steps of the path the finding is about, first to
	// last, the finding's own position among them; nil when the finding
	// is not about a path.
	Path []Step
	// Fingerprint is the message with the positions it names reduced to
	// their file names ("the path returning at run.go"), which moves with
	// the code: baselines record it.
	Fingerprint string
}

// Result is what each of lifeguard's analyzers returns: the Detail of every
// finding it reported, for drivers that can show more than a Diagnostic
// holds (SARIF code flows, baselines).
type Result struct {
	details map[resultKey]Detail
}

type resultKey struct {
	pos     token.Pos
	message string
}

// DetailOf returns the Detail of the diagnostic d, which the analyzer whose
// result r is reported, and whether there is one.
func (r *Result) DetailOf(d analysis.Diagnostic) (Detail, bool) {
	if r == nil {
		return Detail{}, false
	}
	det, ok := r.details[resultKey{d.Pos, d.Message}]
	return det, ok
}

// add records the Detail of a reported diagnostic.
func (r *Result) add(d analysis.Diagnostic, det Detail) {
	if r.details == nil {
		r.details = map[resultKey]Detail{}
	}
	r.details[resultKey{d.Pos, d.Message}] = det
}
