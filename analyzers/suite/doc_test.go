package suite_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// summaries are the first lines of the analyzers' Docs, which lifeguard
// -list and SARIF's shortDescription print: they change only on purpose.
var summaries = map[string]string{
	"cmdwait":        "report child processes that are started, killed or signalled but never reaped with Wait",
	"pipedrain":      "report exec, os and io pipes that are never drained or closed, read after Wait, or read one after the other",
	"defercancel":    "report contexts created inside deferred functions that bound nothing or derive from a context that may already be cancelled, and defer cancel() piling up in loops",
	"ctxbreak":       "report work rooted in context.Background or TODO where a caller or request context exists, and request contexts carried into goroutines that outlive the handler",
	"handlerrecover": "report goroutines started from HTTP handlers without a deferred recover",
	"cmdcancel":      "report cancelled or killed commands whose children outlive the kill and keep Wait waiting",
	"shutdown":       "report Shutdown calls that cannot end, Serve errors that end the process when Shutdown begins, signal channels closed while signals are delivered to them, and exits that skip deferred cleanups",
}

// Each analyzer's Doc is the "# Analyzer NAME" section of its doc.go
// (analyzerdoc.Extract): the summary, then the rules, how to suppress a
// finding and the flags, in paragraphs, and the pointer to its page.
func TestDocs(t *testing.T) {
	analyzers := suite.Analyzers()
	if len(analyzers) != len(summaries) {
		t.Errorf("%d analyzers in the suite, %d summaries here", len(analyzers), len(summaries))
	}
	for _, a := range analyzers {
		doc := a.Doc
		first, rest, _ := strings.Cut(doc, "\n")
		if want, ok := summaries[a.Name]; !ok || first != want {
			t.Errorf("%s: Doc starts %q, want %q", a.Name, first, want)
		}
		if !strings.HasPrefix(rest, "\n") {
			t.Errorf("%s: no blank line after the summary:\n%s", a.Name, doc)
		}
		if n := strings.Count(doc, "\n\n") + 1; n < 5 {
			t.Errorf("%s: Doc has %d paragraphs, want the rules in several:\n%s", a.Name, n, doc)
		}
		if !strings.Contains(doc, "reports") || !strings.Contains(doc, "\n  - ") || !strings.Contains(doc, " at the ") {
			t.Errorf("%s: Doc does not list what it reports, and where:\n%s", a.Name, doc)
		}
		if !strings.Contains(doc, "//lifeguard:ignore "+a.Name+" <reason>") || !strings.Contains(doc, "//nolint:"+a.Name) {
			t.Errorf("%s: Doc does not say how to suppress a finding:\n%s", a.Name, doc)
		}
		a.Flags.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(doc, "-"+a.Name+"."+f.Name) {
				t.Errorf("%s: Doc does not name its flag -%s.%s", a.Name, a.Name, f.Name)
			}
		})
		if want := "See " + a.URL + "."; !strings.HasSuffix(doc, "\n\n"+want) {
			t.Errorf("%s: Doc does not end with %q:\n%s", a.Name, want, doc)
		}
		if strings.Contains(doc, "# Analyzer") || strings.HasPrefix(doc, "(no documentation") {
			t.Errorf("%s: Doc is not its doc.go section:\n%s", a.Name, doc)
		}
	}
}
