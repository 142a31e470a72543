// Package fix implements -fix and -diff: it applies the first suggested
// fix of each finding, in the order of the findings, to the files, or
// prints the changes as a unified diff (diff.go).
//
// A fix is all or nothing: if any of its edits overlaps an edit already
// taken, the whole fix is skipped and lifeguard says so (running it again,
// once the first fix is in, may apply it). An edit identical to one
// already taken is dropped, so that the same fix reported twice (by a
// package and its test variant, say) applies once.
package fix

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/output"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// Apply applies the fixes of rep's findings: it writes the files, or with
// a non-nil diffOut prints the changes there as a unified diff and writes
// nothing. It then prints the findings whose fixes are not in the files to
// findingsOut, notes to stderr, and returns how many findings remain in
// the files on disk.
func Apply(rep *findings.Report, diffOut, findingsOut, stderr io.Writer) (remaining int, err error) {
	plan, err := planFixes(rep)
	if err != nil {
		return 0, err
	}
	for _, s := range plan.skipped {
		fmt.Fprintf(stderr, "lifeguard: %s: skipped the fix %q (%s): %s\n",
			rep.Paths.Show(s.finding.Posn), s.message, s.finding.Analyzer.Name, s.reason)
	}

	changed := plan.apply()
	for _, c := range changed {
		if diffOut != nil {
			// git's a/ and b/ prefixes, so that "git apply" takes the
			// patch from the current directory.
			oldLabel, newLabel := c.name, c.name
			if name := rep.Paths.File(c.name); !filepath.IsAbs(name) {
				oldLabel, newLabel = "a/"+filepath.ToSlash(name), "b/"+filepath.ToSlash(name)
			}
			if _, err := io.WriteString(diffOut, unifiedDiff(oldLabel, newLabel, c.old, c.new)); err != nil {
				return 0, err
			}
			continue
		}
		if err := writeFileKeepMode(c.name, c.new); err != nil {
			return 0, err
		}
	}

	var unfixed []*findings.Finding
	for _, f := range rep.Findings {
		if !plan.fixed[f] {
			unfixed = append(unfixed, f)
		}
	}
	if diffOut == nil && len(changed) > 0 {
		fmt.Fprintf(stderr, "lifeguard: applied %s to %s\n",
			output.Plural(len(plan.fixed), "fix", "fixes"), output.Plural(len(changed), "file", "files"))
	}
	if err := output.WriteText(findingsOut, &findings.Report{Findings: unfixed, Paths: rep.Paths}); err != nil {
		return 0, err
	}
	if diffOut != nil {
		return len(rep.Findings), nil // nothing was written
	}
	return len(unfixed), nil
}

// A textEdit replaces bytes [start, end) of a file with text.
type textEdit struct {
	start, end int
	text       string
}

// overlaps reports whether x and y cannot both be applied in a well-defined
// way: their ranges intersect, or they insert at the same point (in which
// order?). An insertion at the start or end of a replaced range does not.
func (x textEdit) overlaps(y textEdit) bool {
	if x.start == x.end && y.start == y.end {
		return x.start == y.start
	}
	return x.start < y.end && y.start < x.end
}

// takenEdit is an edit chosen for a file, with the finding whose fix it is.
type takenEdit struct {
	textEdit
	owner *findings.Finding
}

type skippedFix struct {
	finding *findings.Finding
	message string // of the fix
	reason  string
}

// A fixPlan is the set of edits chosen to apply.
type fixPlan struct {
	edits    map[string][]takenEdit     // by absolute file name
	baseline map[string][]byte          // file contents the edits apply to
	fixed    map[*findings.Finding]bool // findings whose fix is taken
	skipped  []skippedFix

	paths positions.Display
}

func planFixes(rep *findings.Report) (*fixPlan, error) {
	plan := &fixPlan{
		edits:    make(map[string][]takenEdit),
		baseline: make(map[string][]byte),
		fixed:    make(map[*findings.Finding]bool),
		paths:    rep.Paths,
	}
	for _, f := range rep.Findings {
		if len(f.Fixes) == 0 {
			continue
		}
		// The first fix is the analyzer's choice; any others are
		// alternatives for a human to pick from.
		fix := f.Fixes[0]
		edits, reason, err := plan.fileEdits(f, fix.Edits)
		if err != nil {
			return nil, err
		}
		if reason == "" {
			reason = plan.take(f, edits)
		}
		if reason != "" {
			plan.skipped = append(plan.skipped, skippedFix{f, fix.Message, reason})
		}
	}
	return plan, nil
}

// fileEdits converts a fix's edits to byte offsets, grouped by file. A
// non-empty reason says why the fix cannot be applied; an error means a file
// changed since it was analyzed, and no fix should be trusted.
func (plan *fixPlan) fileEdits(f *findings.Finding, edits []findings.Edit) (map[string][]textEdit, string, error) {
	byFile := make(map[string][]textEdit)
	for _, e := range edits {
		if e.File == "" {
			return nil, "an edit is outside every file", nil
		}
		if f.Package.IsGenerated(e.File) {
			return nil, "it edits generated file " + e.File, nil
		}
		if err := plan.readBaseline(e.File, e.FileSize); err != nil {
			return nil, "", err
		}
		byFile[e.File] = append(byFile[e.File], textEdit{e.Start, e.End, e.NewText})
	}
	return byFile, "", nil
}

// take adds the edits to the plan, unless one overlaps an edit already
// taken; then it returns the reason the fix is skipped.
func (plan *fixPlan) take(f *findings.Finding, byFile map[string][]textEdit) (reason string) {
	type fileEdit struct {
		file string
		edit textEdit
	}
	var fresh []fileEdit
	for _, file := range slices.Sorted(maps.Keys(byFile)) {
		for _, e := range byFile[file] {
			duplicate := false
			for _, t := range plan.edits[file] {
				if e == t.textEdit {
					duplicate = true
					break
				}
				if e.overlaps(t.textEdit) {
					return fmt.Sprintf("it overlaps the fix for %s (%s); run lifeguard -fix again once that one is in",
						plan.paths.Show(t.owner.Posn), t.owner.Analyzer.Name)
				}
			}
			if !duplicate {
				fresh = append(fresh, fileEdit{file, e})
			}
		}
	}
	for _, x := range fresh {
		plan.edits[x.file] = append(plan.edits[x.file], takenEdit{x.edit, f})
	}
	plan.fixed[f] = true
	return ""
}

func (plan *fixPlan) readBaseline(name string, size int) error {
	if _, ok := plan.baseline[name]; ok {
		return nil
	}
	content, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if len(content) != size {
		return fmt.Errorf("%s changed while it was analyzed (%d bytes, now %d); applied no fixes", name, size, len(content))
	}
	plan.baseline[name] = content
	return nil
}

// A changedFile is a file with all its taken edits applied.
type changedFile struct {
	name     string
	old, new []byte
}

// apply computes the new content of each edited file, in file name order.
// A Go file that was gofmt-formatted is formatted again, as fixes are often
// written without regard to layout; one that was not is left as the user
// keeps it, so that the change stays the fix alone.
func (plan *fixPlan) apply() []changedFile {
	var changed []changedFile
	for _, name := range slices.Sorted(maps.Keys(plan.edits)) {
		old := plan.baseline[name]
		edits := plan.edits[name]
		slices.SortFunc(edits, func(x, y takenEdit) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.end, y.end))
		})
		var buf bytes.Buffer
		last := 0
		for _, e := range edits {
			buf.Write(old[last:e.start])
			buf.WriteString(e.text)
			last = e.end
		}
		buf.Write(old[last:])
		new := buf.Bytes()

		if strings.HasSuffix(name, ".go") {
			if formattedOld, err := format.Source(old); err == nil && bytes.Equal(formattedOld, old) {
				if formatted, err := format.Source(new); err == nil {
					new = formatted
				}
			}
		}
		if !bytes.Equal(old, new) {
			changed = append(changed, changedFile{name, old, new})
		}
	}
	return changed
}

func writeFileKeepMode(name string, content []byte) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, content, fi.Mode().Perm())
}
