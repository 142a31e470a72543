// Package baseline records the findings a codebase already has
// (-write-baseline), so that -baseline reports only the new ones and a
// large codebase can adopt lifeguard without fixing everything first.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

// A File is the findings a codebase already has, as -write-baseline
// writes them.
//
// A finding is recorded by its fingerprint, which leaves out what unrelated
// edits change: not its line or column, but its analyzer, its file
// (relative to the repository root, as the CI formats name it), the
// function it is in and its message with the positions it mentions reduced
// to file names (the fingerprint message its analyzer gives). Inserting code above a finding, or moving its function
// within the file, keeps the fingerprint; renaming the function or the
// file, or a change of the message (another variable, another analyzer
// version's wording), makes it a new finding.
//
// The file holds one entry per finding, so that two identical fingerprints
// in the baseline hide two of today's findings with that fingerprint, and
// a third is reported.
type File struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`
}

// version is the version of the file format written and read.
const version = 1

// An Entry is the fingerprint of one finding.
type Entry struct {
	Analyzer string `json:"analyzer"`
	File     string `json:"file"`
	// Function is the top-level function or method the finding is in,
	// "Func", "T.Method" or "(*T).Method" without type parameters; a
	// function literal belongs to the function it is written in, so that
	// adding a literal above it does not renumber it. A finding in a
	// package-level variable's initializer is in "init", one outside any
	// declaration in "".
	Function string `json:"function"`
	Message  string `json:"message"`
}

// Key is e as one string, which two entries share when they are equal.
func (e Entry) Key() string {
	return e.Analyzer + "\x00" + e.File + "\x00" + e.Function + "\x00" + e.Message
}

func compareEntries(x, y Entry) int {
	return cmp.Or(
		cmp.Compare(x.File, y.File),
		cmp.Compare(x.Function, y.Function),
		cmp.Compare(x.Analyzer, y.Analyzer),
		cmp.Compare(x.Message, y.Message),
	)
}

// Fingerprint returns the baseline entry of f, a finding of rep.
func Fingerprint(rep *findings.Report, f *findings.Finding) Entry {
	return Entry{
		Analyzer: f.Analyzer.Name,
		File:     rep.RepoFile(f.Posn.Filename),
		Function: f.Decl,
		Message:  fingerprintMessage(f),
	}
}

// fingerprintMessage is what a baseline records of f's message: the
// fingerprint its analyzer gave, the message with the positions it names
// reduced to their file names ("the path returning at run.go"), which
// moves with the code; else the message itself, since the bundled vet and
// staticcheck analyzers' messages name no positions.
func fingerprintMessage(f *findings.Finding) string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	return f.Message
}

// Read reads and checks a baseline file; any problem is an error, since a
// baseline that silently hides nothing would fail every build, and one
// read wrongly could hide new bugs.
func Read(name string) (*File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-baseline: %v (create it with -write-baseline %s)", err, name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b File
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("-baseline: %s is not a lifeguard baseline: %v", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("-baseline: %s is not a lifeguard baseline: data after the JSON object", name)
	}
	if b.Version == 0 {
		return nil, fmt.Errorf("-baseline: %s is not a lifeguard baseline: it has no version", name)
	}
	if b.Version != version {
		return nil, fmt.Errorf("-baseline: %s has version %d, this lifeguard reads version %d; write it again with -write-baseline", name, b.Version, version)
	}
	for i, e := range b.Findings {
		if e.Analyzer == "" || e.File == "" || e.Message == "" {
			return nil, fmt.Errorf("-baseline: %s: finding %d lacks its analyzer, file or message", name, i+1)
		}
	}
	return &b, nil
}

// Apply drops the findings of rep that b records, as many of each
// fingerprint as b holds, and returns how many it dropped. Findings are in
// position order, so of three findings with one fingerprint and two in b,
// the last is reported. The go/analysis JSON tree of the -json format is
// filtered too.
//
// It also returns the entries of b that match no finding although the run
// looked for them: their file was analyzed and their analyzer ran. Their
// bug was fixed, or their code changed (a renamed function, another
// message); a baseline written again drops them. An entry of a file or an
// analyzer the run left out is not one: a run on one package uses the
// baseline of the whole repository.
func Apply(rep *findings.Report, b *File) (dropped int, stale []Entry) {
	known := make(map[string]int)
	for _, e := range b.Findings {
		known[e.Key()]++
	}
	type diagKey struct {
		file     string
		offset   int
		analyzer string
		message  string
	}
	droppedDiags := make(map[diagKey]bool)
	kept := rep.Findings[:0:0]
	for _, f := range rep.Findings {
		k := Fingerprint(rep, f).Key()
		if known[k] > 0 {
			known[k]--
			droppedDiags[diagKey{f.Posn.Filename, f.Posn.Offset, f.Analyzer.Name, f.Message}] = true
			continue
		}
		kept = append(kept, f)
	}
	n := len(rep.Findings) - len(kept)
	rep.Findings = kept
	stale = staleEntries(rep, b, known)

	if n > 0 {
		// A package and its test variant report the same diagnostic; the
		// report kept one, and both go.
		rep.DropDiagnostics(func(analyzer string, d *findings.Diagnostic) bool {
			return droppedDiags[diagKey{d.Posn.Filename, d.Posn.Offset, analyzer, d.Message}]
		})
	}
	return n, stale
}

// staleEntries returns the entries of b left in unmatched (counts by key,
// what Apply did not use) whose file rep analyzed with their analyzer, in
// b's order.
func staleEntries(rep *findings.Report, b *File, unmatched map[string]int) []Entry {
	analyzed := make(map[string]bool, len(rep.Files))
	for name := range rep.Files {
		analyzed[rep.RepoFile(name)] = true
	}
	ran := make(map[string]bool, len(rep.Analyzers))
	for _, a := range rep.Analyzers {
		ran[a.Name] = true
	}
	var stale []Entry
	for _, e := range b.Findings {
		if k := e.Key(); unmatched[k] > 0 && analyzed[e.File] && ran[e.Analyzer] {
			unmatched[k]--
			stale = append(stale, e)
		}
	}
	return stale
}

// Write records rep's findings in the file name, replacing it whole: a
// reader never sees half a baseline.
func Write(name string, rep *findings.Report) error {
	b := File{Version: version, Tool: "lifeguard", Findings: []Entry{}}
	for _, f := range rep.Findings {
		b.Findings = append(b.Findings, Fingerprint(rep, f))
	}
	// Sorted by fingerprint, not position, so that a refreshed baseline
	// differs from the old one only in the findings that came or went.
	slices.SortStableFunc(b.Findings, compareEntries)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // messages say <-ch
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return err
	}
	data := buf.Bytes()

	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// ErrIncomplete stops -write-baseline when packages failed: their findings
// would be missing, and reported as new once they are fixed.
var ErrIncomplete = errors.New("the errors above kept code from being analyzed, so its findings would be missing from the baseline; fix them, or leave the failing packages out of the patterns")

// ReportStale tells on w which entries of the baseline file name match no
// finding (Apply's stale), so that it can be pruned; they fail nothing.
func ReportStale(w io.Writer, name string, stale []Entry) {
	switch len(stale) {
	case 0:
		return
	case 1:
		fmt.Fprintf(w, "lifeguard: -baseline: 1 entry of %s matches no finding (fixed, or its code changed); -write-baseline %s drops it:\n", name, name)
	default:
		fmt.Fprintf(w, "lifeguard: -baseline: %d entries of %s match no finding (fixed, or their code changed); -write-baseline %s drops them:\n", len(stale), name, name)
	}
	for _, e := range stale {
		fn := e.Function
		if fn == "" {
			fn = "outside any function"
		}
		fmt.Fprintf(w, "\t%s (%s): %s (%s)\n", e.File, fn, e.Message, e.Analyzer)
	}
}
