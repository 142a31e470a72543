package lgtest

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// A testReport is the outcome of lifeguard test: the static report, the
// leaks, and how they join.
type testReport struct {
	rep      *findings.Report
	goStatus int // go test's exit status
	records  []*leakrecord.Record

	confirmed map[*findings.Finding][]*confirmation
	missed    []*leakrecord.Record // leaks with a site that no finding explains
	unsited   []*leakrecord.Record // leaks runtimecheck could not attribute
}

// A confirmation is the leaks of one test that confirm one finding.
type confirmation struct {
	test     string // "" when runtimecheck could not tell
	pkg      string
	parallel bool
	leaks    []*leakrecord.Record
	// inFunction holds the leaks made at another line of the finding's
	// function, not at the finding's own line: a child started at one line
	// and killed without Wait at another.
	inFunction map[*leakrecord.Record]bool
}

// joinLeaks matches the leaks to the findings. A leak confirms the findings
// at its site's file and line. A leak with no finding at its line confirms
// the one finding of its function, at a later line or else the nearest
// before, whose analyzer may report that kind of leak at another line than
// the one that made it: cmdwait's Kill without Wait, for the child made by
// the Start above it; pipedrain's reads in sequence, for the pipes made by
// StdoutPipe and StderrPipe above them. Every other leak is missed.
func joinLeaks(rep *findings.Report, records []*leakrecord.Record) *testReport {
	tr := &testReport{rep: rep, records: records, confirmed: make(map[*findings.Finding][]*confirmation)}
	type lineKey struct {
		file string
		line int
	}
	byLine := make(map[lineKey][]*findings.Finding)
	byFile := make(map[string][]*findings.Finding)
	for _, f := range rep.Findings {
		file := canonicalFile(f.Posn.Filename)
		byLine[lineKey{file, f.Posn.Line}] = append(byLine[lineKey{file, f.Posn.Line}], f)
		byFile[file] = append(byFile[file], f)
	}
	funcs := newFuncIndex(rep)

	for _, r := range records {
		if r.Site == nil || r.Site.File == "" || r.Site.Line <= 0 {
			tr.unsited = append(tr.unsited, r)
			continue
		}
		file := canonicalFile(r.Site.File)
		if fsAt := byLine[lineKey{file, r.Site.Line}]; len(fsAt) > 0 {
			for _, f := range fsAt {
				tr.confirm(f, r, false)
			}
			continue
		}
		if f := funcs.sameFunction(byFile[file], file, r); f != nil {
			tr.confirm(f, r, true)
			continue
		}
		tr.missed = append(tr.missed, r)
	}

	for _, cs := range tr.confirmed {
		slices.SortStableFunc(cs, func(x, y *confirmation) int {
			return cmp.Or(cmp.Compare(x.pkg, y.pkg), cmp.Compare(x.test, y.test))
		})
	}
	slices.SortStableFunc(tr.missed, func(x, y *leakrecord.Record) int {
		return cmp.Or(cmp.Compare(x.Site.File, y.Site.File), cmp.Compare(x.Site.Line, y.Site.Line))
	})
	return tr
}

// dropHidden forgets the confirmations of the findings no longer in the
// report (a baseline hid them) and their leaks: a known bug's leaks are
// known too.
func (tr *testReport) dropHidden() {
	kept := make(map[*findings.Finding]bool, len(tr.rep.Findings))
	for _, f := range tr.rep.Findings {
		kept[f] = true
	}
	hidden := make(map[*leakrecord.Record]bool)
	for f, cs := range tr.confirmed {
		if kept[f] {
			continue
		}
		for _, c := range cs {
			for _, r := range c.leaks {
				hidden[r] = true
			}
		}
		delete(tr.confirmed, f)
	}
	// A leak that also confirms a finding still reported stays.
	for _, cs := range tr.confirmed {
		for _, c := range cs {
			for _, r := range c.leaks {
				delete(hidden, r)
			}
		}
	}
	tr.records = slices.DeleteFunc(slices.Clone(tr.records), func(r *leakrecord.Record) bool { return hidden[r] })
}

func (tr *testReport) confirm(f *findings.Finding, r *leakrecord.Record, inFunction bool) {
	var c *confirmation
	for _, old := range tr.confirmed[f] {
		if old.test == r.Test && old.pkg == r.Package {
			c = old
		}
	}
	if c == nil {
		c = &confirmation{test: r.Test, pkg: r.Package, inFunction: make(map[*leakrecord.Record]bool)}
		tr.confirmed[f] = append(tr.confirmed[f], c)
	}
	c.leaks = append(c.leaks, r)
	c.parallel = c.parallel || r.Parallel
	if inFunction {
		c.inFunction[r] = true
	}
}

// reportsElsewhere tells, for each analyzer that may report a leak at
// another line than the one that made it, whether it explains a leak.
var reportsElsewhere = map[string]func(r *leakrecord.Record) bool{
	// Kill or Signal without Wait, Process.Wait instead of Cmd.Wait: the
	// zombie, the pipes of the Cmd and the goroutines os/exec started for
	// it were made by Start.
	"cmdwait": func(r *leakrecord.Record) bool {
		return r.Kind == "pipe" || r.Kind == "goroutine" || r.Kind == "process" && r.Ancestor == 0
	},
	// A pipe read after Wait or one after the other, Run after StdoutPipe:
	// reported at the read, Wait or Run; the pipes were made by
	// StdoutPipe, and the child that blocks on them, with os/exec's
	// goroutines copying its output, by Start.
	"pipedrain": func(r *leakrecord.Record) bool {
		return r.Kind == "pipe" || r.Kind == "iopipe" || r.Kind == "goroutine" || r.Kind == "process" && r.Ancestor == 0
	},
	// A cancel or kill that does not end the command: reported at
	// exec.CommandContext or the kill; the orphaned descendant that runs
	// on, and the goroutines of a Wait that hangs, were made by the Start
	// or Run below.
	"cmdcancel": func(r *leakrecord.Record) bool {
		return r.Kind == "goroutine" || r.Kind == "process" && r.Ancestor != 0
	},
}

// A funcIndex finds the top-level function declarations of the analyzed
// files by line.
type funcIndex map[string][]funcSpan // canonical file name -> spans

type funcSpan struct{ start, end int }

func newFuncIndex(rep *findings.Report) funcIndex {
	idx := make(funcIndex)
	for _, pkg := range rep.Packages {
		for _, file := range pkg.Outline {
			name := canonicalFile(file.Name)
			if _, done := idx[name]; done {
				continue // a package and its test variant share files
			}
			var spans []funcSpan
			for _, decl := range file.Decls {
				if decl.FuncBody {
					spans = append(spans, funcSpan{decl.StartLine, decl.EndLine})
				}
			}
			idx[name] = spans
		}
	}
	return idx
}

func (idx funcIndex) span(file string, line int) (funcSpan, bool) {
	for _, s := range idx[file] {
		if s.start <= line && line <= s.end {
			return s, true
		}
	}
	return funcSpan{}, false
}

// sameFunction returns the finding among those of file that r confirms by
// function, or nil.
func (idx funcIndex) sameFunction(candidates []*findings.Finding, file string, r *leakrecord.Record) *findings.Finding {
	fn, ok := idx.span(file, r.Site.Line)
	if !ok {
		return nil
	}
	var after, before *findings.Finding
	for _, f := range candidates { // sorted by position
		if explains := reportsElsewhere[f.Analyzer.Name]; explains == nil || !explains(r) {
			continue
		}
		if l := f.Posn.Line; l < fn.start || l > fn.end {
			continue
		}
		if f.Posn.Line > r.Site.Line {
			if after == nil {
				after = f
			}
		} else {
			before = f
		}
	}
	return cmp.Or(after, before)
}

// canonicalFile returns the name by which a file is compared: absolute,
// clean, and without symbolic links when it exists.
func canonicalFile(name string) string {
	if abs, err := filepath.Abs(name); err == nil {
		name = abs
	}
	if real, err := filepath.EvalSymlinks(name); err == nil {
		return real
	}
	return filepath.Clean(name)
}

// evidence is how one leak is shown under a finding or in the list of
// those no finding explains: runtimecheck's description, the call that made
// it and, when asked, where.
func evidence(r *leakrecord.Record, paths positions.Display, withSite bool) string {
	var b strings.Builder
	b.WriteString(cmp.Or(r.Desc, r.Kind))
	if r.API != "" {
		b.WriteString(" from " + r.API)
	}
	if withSite && r.Site != nil {
		fmt.Fprintf(&b, " at %s:%d", paths.File(r.Site.File), r.Site.Line)
	}
	return b.String()
}
