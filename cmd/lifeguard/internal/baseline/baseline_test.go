package baseline

import (
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// findingAt is a cmdwait finding at line of the file name, with a
// fingerprint when fingerprint is not "".
func findingAt(name string, line int, message, fingerprint string) *findings.Finding {
	a := &analysis.Analyzer{Name: "cmdwait"}
	posn := token.Position{Filename: name, Line: line, Column: 2}
	return &findings.Finding{Analyzer: a, Posn: posn, End: posn, Message: message, Fingerprint: fingerprint}
}

// TestFingerprintMessage: a finding whose analyzer gave a fingerprint is
// recorded by it, whatever its message says; one without is recorded by its
// message.
func TestFingerprintMessage(t *testing.T) {
	root := t.TempDir()
	rep := &findings.Report{Root: positions.NewDisplay(root)}
	name := filepath.Join(root, "svc", "run.go")
	for _, tc := range []struct {
		f    *findings.Finding
		want Entry
	}{
		{
			findingAt(name, 12, "cmd.Start without Wait on the path returning at line 57", "cmd.Start without Wait on the path returning at run.go"),
			Entry{Analyzer: "cmdwait", File: "svc/run.go", Message: "cmd.Start without Wait on the path returning at run.go"},
		},
		{
			findingAt(name, 12, "the cancel function is not used on all paths (possible context leak)", ""),
			Entry{Analyzer: "cmdwait", File: "svc/run.go", Message: "the cancel function is not used on all paths (possible context leak)"},
		},
	} {
		if got := Fingerprint(rep, tc.f); got != tc.want {
			t.Errorf("Fingerprint of %q (fingerprint %q) = %+v, want %+v", tc.f.Message, tc.f.Fingerprint, got, tc.want)
		}
	}
}

// TestBaselineByDetailFingerprint writes a baseline of findings that carry
// their analyzers' fingerprints and applies it after the code moved: the
// findings whose messages now name other lines, which the messages give in
// a form no pattern recognizes, stay hidden by their fingerprints; a
// finding with a fingerprint the baseline lacks is reported.
func TestBaselineByDetailFingerprint(t *testing.T) {
	root := t.TempDir()
	name := filepath.Join(root, "run.go")
	const fp = "cmd.Start without Wait on the path returning at run.go"
	before := &findings.Report{Root: positions.NewDisplay(root), Findings: []*findings.Finding{
		findingAt(name, 10, "cmd.Start without Wait on the path returning at line 14", fp),
		findingAt(name, 20, "cmd.Start without Wait on the path returning at line 26", fp),
	}}
	file := filepath.Join(root, "baseline.json")
	if err := Write(file, before); err != nil {
		t.Fatal(err)
	}
	b, err := Read(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Findings {
		if e.Message != fp {
			t.Errorf("baseline entry %+v, want the message %q", e, fp)
		}
	}

	fresh := findingAt(name, 40, "os.StartProcess without Wait on the path returning at line 44", "os.StartProcess without Wait on the path returning at run.go")
	after := &findings.Report{Root: positions.NewDisplay(root), Findings: []*findings.Finding{
		findingAt(name, 13, "cmd.Start without Wait on the path returning at line 17", fp),
		findingAt(name, 23, "cmd.Start without Wait on the path returning at line 29", fp),
		fresh,
	}}
	if n, _ := Apply(after, b); n != 2 || len(after.Findings) != 1 || after.Findings[0] != fresh {
		t.Errorf("Apply dropped %d findings and kept %d; want the two moved ones dropped and the new one kept", n, len(after.Findings))
	}
}

// TestStaleEntries: the entries Apply matches with no finding are returned
// as stale, one per surplus entry, when the run analyzed their file with
// their analyzer; an entry of a file or an analyzer the run left out is
// not stale. ReportStale lists them.
func TestStaleEntries(t *testing.T) {
	root := t.TempDir()
	run := filepath.Join(root, "svc", "run.go")
	kept := findingAt(run, 10, "cmd.Start without Wait", "")
	rep := &findings.Report{
		Root:      positions.NewDisplay(root),
		Files:     map[string]bool{run: true},
		Analyzers: []*analysis.Analyzer{kept.Analyzer},
		Findings:  []*findings.Finding{kept},
	}
	entry := func(analyzer, file, msg string) Entry {
		return Entry{Analyzer: analyzer, File: file, Message: msg}
	}
	b := &File{Version: version, Findings: []Entry{
		entry("cmdwait", "svc/run.go", "cmd.Start without Wait"), // matches kept
		entry("cmdwait", "svc/run.go", "cmd.Start without Wait"), // a second one: stale
		entry("cmdwait", "svc/run.go", "fixed since"),            // stale
		entry("cmdwait", "lib/lib.go", "not analyzed"),           // another package's
		entry("pipedrain", "svc/run.go", "did not run"),          // another analyzer's
	}}
	n, stale := Apply(rep, b)
	want := []Entry{b.Findings[1], b.Findings[2]}
	if n != 1 || !slices.Equal(stale, want) {
		t.Errorf("Apply = %d, stale %+v; want 1 dropped and stale %+v", n, stale, want)
	}
	var w strings.Builder
	ReportStale(&w, "b.json", stale)
	for _, s := range []string{"2 entries of b.json match no finding", "-write-baseline b.json drops them", "svc/run.go (outside any function): fixed since (cmdwait)"} {
		if !strings.Contains(w.String(), s) {
			t.Errorf("ReportStale wrote %q; want it to contain %q", w.String(), s)
		}
	}
	w.Reset()
	ReportStale(&w, "b.json", nil)
	if w.Len() != 0 {
		t.Errorf("ReportStale with nothing stale wrote %q", w.String())
	}
}
