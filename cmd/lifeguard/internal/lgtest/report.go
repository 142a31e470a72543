package lgtest

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/output"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/sarif"
	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// writeTestReport prints what lifeguard test found in the given format.
func writeTestReport(w io.Writer, format string, tr *testReport) error {
	switch format {
	case "json":
		return writeTestJSON(w, tr)
	case "sarif":
		return sarif.Write(w, tr.rep, tr.sarifExtras())
	}
	return writeTestText(w, tr)
}

// maxEvidence is how many leaks one "confirmed by" line shows.
const maxEvidence = 3

// writeTestText prints each finding as the text format does, with a line
//
//	confirmed by TestX: <evidence>; <evidence>
//
// under it for each test whose leaks confirm it, then its related
// information; then the leaks no finding explains, one a line, and a
// summary.
func writeTestText(w io.Writer, tr *testReport) error {
	bw := bufio.NewWriter(w)
	rep := tr.rep
	if len(rep.Findings) > 0 || len(tr.records) > 0 {
		fmt.Fprintln(bw)
	}
	nConfirmed := 0
	for _, f := range rep.Findings {
		fmt.Fprintf(bw, "%s: %s (%s)\n", rep.Paths.Show(f.Posn), f.Message, f.Analyzer.Name)
		if len(tr.confirmed[f]) > 0 {
			nConfirmed++
		}
		for _, c := range tr.confirmed[f] {
			fmt.Fprintf(bw, "\tconfirmed by %s: %s\n", c.who(), c.evidence(rep.Paths))
		}
		for _, r := range f.Related {
			fmt.Fprintf(bw, "\t%s: %s\n", rep.Paths.Show(r.Posn), r.Message)
		}
	}
	if len(tr.missed) > 0 {
		fmt.Fprintf(bw, "\nlifeguard test: %s not found statically:\n", output.Plural(len(tr.missed), "runtime leak", "runtime leaks"))
		for _, r := range tr.missed {
			fmt.Fprintf(bw, "%s:%d: %s (%s)\n", rep.Paths.File(r.Site.File), r.Site.Line, evidence(r, rep.Paths, false), recordWho(r))
		}
	}
	if len(tr.unsited) > 0 {
		fmt.Fprintf(bw, "\nlifeguard test: %s with no allocation site (made outside os, net and io, or by a test built without the overlay):\n", output.Plural(len(tr.unsited), "runtime leak", "runtime leaks"))
		for _, r := range tr.unsited {
			fmt.Fprintf(bw, "\t%s (%s)\n", evidence(r, rep.Paths, false), recordWho(r))
		}
	}

	fmt.Fprintf(bw, "lifeguard test: %s (%d confirmed by tests), %s not found statically",
		output.Plural(len(rep.Findings), "finding", "findings"), nConfirmed, output.Plural(len(tr.missed)+len(tr.unsited), "runtime leak", "runtime leaks"))
	switch {
	case tr.goStatus == 1:
		fmt.Fprint(bw, "; go test failed")
	case tr.goStatus > 1:
		fmt.Fprintf(bw, "; go test exited with status %d", tr.goStatus)
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

// who names the test of a confirmation.
func (c *confirmation) who() string {
	s := cmp.Or(c.test, "the tests of "+cmp.Or(c.pkg, "an unknown package"))
	if c.parallel {
		s += " (a parallel test: the leak may be another test's)"
	}
	return s
}

func (c *confirmation) evidence(paths positions.Display) string {
	var parts []string
	for i, r := range c.leaks {
		if i == maxEvidence {
			parts = append(parts, fmt.Sprintf("and %d more", len(c.leaks)-maxEvidence))
			break
		}
		parts = append(parts, evidence(r, paths, c.inFunction[r]))
	}
	return strings.Join(parts, "; ")
}

// recordWho names the test that leaked r, for the list of missed leaks.
func recordWho(r *leakrecord.Record) string {
	s := "leaked by " + cmp.Or(r.Test, "the tests of "+cmp.Or(r.Package, "an unknown package"))
	if r.Parallel {
		s += ", a parallel test"
	}
	return s
}

// The JSON output of lifeguard test. Positions are "file:line:col" with
// absolute file names, as in the go/analysis JSON; leak records are
// runtimecheck's, as it wrote them.
type testJSON struct {
	GoTest             testJSONGoTest       `json:"go_test"`
	Findings           []testJSONFinding    `json:"findings"`
	NotFoundStatically []*leakrecord.Record `json:"not_found_statically"`
	NoSite             []*leakrecord.Record `json:"no_site"`
	Errors             []string             `json:"errors"`
}

type testJSONGoTest struct {
	ExitCode int  `json:"exit_code"`
	Passed   bool `json:"passed"`
}

type testJSONFinding struct {
	Analyzer    string                 `json:"analyzer"`
	Posn        string                 `json:"posn"`
	End         string                 `json:"end"`
	Message     string                 `json:"message"`
	Category    string                 `json:"category,omitempty"`
	URL         string                 `json:"url,omitempty"`
	Related     []testJSONRelated      `json:"related,omitempty"`
	ConfirmedBy []testJSONConfirmation `json:"confirmed_by"`
}

type testJSONRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type testJSONConfirmation struct {
	Test     string         `json:"test"`
	Package  string         `json:"package"`
	Parallel bool           `json:"parallel"`
	Evidence string         `json:"evidence"` // as the text output shows it
	Leaks    []testJSONLeak `json:"leaks"`
}

type testJSONLeak struct {
	// Match is "line" when the leak was made at the finding's line,
	// "function" when at another line of the finding's function.
	Match  string             `json:"match"`
	Record *leakrecord.Record `json:"record"`
}

func writeTestJSON(w io.Writer, tr *testReport) error {
	out := testJSON{
		GoTest:             testJSONGoTest{ExitCode: tr.goStatus, Passed: tr.goStatus == 0},
		Findings:           []testJSONFinding{},
		NotFoundStatically: nonNil(tr.missed),
		NoSite:             nonNil(tr.unsited),
		Errors:             nonNil(tr.rep.Errors),
	}
	for _, f := range tr.rep.Findings {
		jf := testJSONFinding{
			Analyzer:    f.Analyzer.Name,
			Posn:        f.Posn.String(),
			End:         f.End.String(),
			Message:     f.Message,
			Category:    f.Category,
			URL:         f.URL,
			ConfirmedBy: tr.confirmationsJSON(f),
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, testJSONRelated{r.Posn.String(), r.End.String(), r.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "\t")
	return enc.Encode(out)
}

func (tr *testReport) confirmationsJSON(f *findings.Finding) []testJSONConfirmation {
	list := []testJSONConfirmation{}
	for _, c := range tr.confirmed[f] {
		jc := testJSONConfirmation{
			Test:     c.test,
			Package:  c.pkg,
			Parallel: c.parallel,
			Evidence: c.evidence(tr.rep.Paths),
		}
		for _, r := range c.leaks {
			match := "line"
			if c.inFunction[r] {
				match = "function"
			}
			jc.Leaks = append(jc.Leaks, testJSONLeak{match, r})
		}
		list = append(list, jc)
	}
	return list
}

// runtimeLeakRule is the SARIF rule of the leaks that no finding explains.
var runtimeLeakRule = sarif.Rule{
	ID:               "runtimeleak",
	ShortDescription: sarif.Message{Text: "a test leaked a file descriptor, child process or io.Pipe that no lifeguard finding explains"},
	FullDescription: sarif.Message{Text: "lifeguard test ran the tests with leak tracing on, and runtimecheck reported a leak made at this line, " +
		"where lifeguard's analyzers report nothing: a bug they do not know of yet, or one they miss."},
	HelpURI:              sarif.ToolURI + "/blob/main/docs/lifeguard-test.md",
	DefaultConfiguration: sarif.RuleLevel{Level: "warning"},
}

// sarifExtras puts the confirmations in the properties of the findings'
// results ("confirmedBy", as in the JSON output) and adds one runtimeleak
// result per leak that no finding explains.
func (tr *testReport) sarifExtras() *sarif.Extras {
	return &sarif.Extras{
		Properties: func(f *findings.Finding) map[string]any {
			if len(tr.confirmed[f]) == 0 {
				return nil
			}
			return map[string]any{"confirmedBy": tr.confirmationsJSON(f)}
		},
		Rules: []sarif.Rule{runtimeLeakRule},
		Results: func(loc *sarif.Locator) []sarif.Result {
			var list []sarif.Result
			add := func(r *leakrecord.Record, locations []sarif.Location) {
				list = append(list, sarif.Result{
					RuleID:     runtimeLeakRule.ID,
					Level:      "warning",
					Message:    sarif.Message{Text: evidence(r, tr.rep.Paths, false) + ", " + recordWho(r) + ", not found statically"},
					Locations:  locations,
					Properties: map[string]any{"leak": r},
				})
			}
			for _, r := range tr.missed {
				add(r, []sarif.Location{loc.LineLocation(r.Site.File, r.Site.Line)})
			}
			for _, r := range tr.unsited {
				add(r, []sarif.Location{})
			}
			return list
		},
	}
}

// nonNil returns s, or an empty slice for nil, which JSON shows as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
