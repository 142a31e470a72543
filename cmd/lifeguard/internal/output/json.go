package output

import (
	"encoding/json"
	"fmt"
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

// The types of the tree, field for field those of x/tools'
// internal/analysis/driverutil, which analysis/checker prints with.
type (
	jsonError struct {
		Err string `json:"error"`
	}
	jsonDiagnostic struct {
		Category       string               `json:"category,omitempty"`
		Posn           string               `json:"posn"`
		End            string               `json:"end"`
		Message        string               `json:"message"`
		SuggestedFixes []jsonSuggestedFix   `json:"suggested_fixes,omitempty"`
		Related        []jsonRelatedMessage `json:"related,omitempty"`
	}
	jsonSuggestedFix struct {
		Message string         `json:"message"`
		Edits   []jsonTextEdit `json:"edits"`
	}
	jsonTextEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelatedMessage struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
)

func (jsonFormat) Write(w io.Writer, rep *findings.Report) error {
	tree := make(map[string]map[string]any)
	for _, pkg := range rep.Packages {
		for _, act := range pkg.Actions {
			var v any
			if act.Err != "" {
				v = jsonError{act.Err}
			} else if len(act.Diagnostics) > 0 {
				v = jsonDiagnostics(act.Diagnostics)
			} else {
				continue
			}
			if tree[pkg.ID] == nil {
				tree[pkg.ID] = make(map[string]any)
			}
			tree[pkg.ID][act.Analyzer] = v
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func jsonDiagnostics(diags []*findings.Diagnostic) []jsonDiagnostic {
	list := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := jsonDiagnostic{Category: d.Category, Posn: d.Posn.String(), End: d.End.String(), Message: d.Message}
		for _, fix := range d.Fixes {
			var edits []jsonTextEdit
			for _, e := range fix.Edits {
				edits = append(edits, jsonTextEdit{Filename: e.PosnFile, Start: e.Start, End: e.JSONEnd, New: e.NewText})
			}
			jd.SuggestedFixes = append(jd.SuggestedFixes, jsonSuggestedFix{Message: fix.Message, Edits: edits})
		}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelatedMessage{Posn: r.Posn.String(), End: r.End.String(), Message: r.Message})
		}
		list = append(list, jd)
	}
	return list
}
