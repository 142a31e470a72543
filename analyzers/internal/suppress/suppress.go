// Package suppress filters an analyzer's diagnostics through the directives
// users write in source:
//
//	//lifeguard:ignore <analyzer> <reason>   (this line or the line above)
//	//nolint:lifeguard  //nolint:<analyzer>  //nolint
//
// The reason of an ignore directive is required. A lifeguard:ignore directive
// that is malformed, or that suppresses nothing, is itself reported by the
// analyzer it names, so stale suppressions do not pile up. Diagnostics in
// generated files are dropped: their fix belongs in the generator.
package suppress

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// names lists every analyzer name a directive may use: lifeguard's own and
// the bundled ones (Register). Directives naming anything else are reported
// by the analyzer named UnknownReporter.
var (
	namesMu sync.RWMutex
	names   = map[string]bool{
		"pipedrain": true, "cmdwait": true, "defercancel": true, "ctxbreak": true, "handlerrecover": true,
	}
)

// Register adds analyzer names that directives may name.
func Register(analyzers ...string) {
	namesMu.Lock()
	defer namesMu.Unlock()
	for _, n := range analyzers {
		names[n] = true
	}
}

func known(name string) bool {
	namesMu.RLock()
	defer namesMu.RUnlock()
	return names[name]
}

func knownList() string {
	namesMu.RLock()
	defer namesMu.RUnlock()
	return strings.Join(slices.Sorted(maps.Keys(names)), ", ")
}

// driverNolint is set when the driver applies //nolint itself (LeaveNolintToDriver).
var driverNolint atomic.Bool

// LeaveNolintToDriver says whether the driver applies //nolint, //nolint:all
// and //nolint:lifeguard itself, as golangci-lint does for its linter
// "lifeguard" (the plugin). The analyzers then honour only
// //nolint:<analyzer>, which such a driver cannot apply, all of lifeguard
// being one linter to it; the rest is left to the driver, so that what it
// knows of its directives (golangci-lint's nolintlint reports unused ones)
// stays true. //lifeguard:ignore and //lint:ignore are not affected.
func LeaveNolintToDriver(on bool) { driverNolint.Store(on) }

// UnknownReporter is the analyzer that reports directives naming no
// analyzer, so that each is reported once.
const UnknownReporter = "cmdwait"

type directive struct {
	pos      token.Pos
	file     string
	line     int
	analyzer string // "" for nolint
	nolint   []string
	used     bool
}

// Reporter reports an analyzer's diagnostics unless a directive suppresses
// them.
type Reporter struct {
	pass       *analysis.Pass
	name       string
	directives map[lineKey][]*directive
	generated  map[string]bool
	fileNolint map[string][]*directive
	ignores    []*directive
	bad        []analysis.Diagnostic
}

type lineKey struct {
	file string
	line int
}

// New parses the directives of pass's files.
func New(pass *analysis.Pass) *Reporter {
	r := &Reporter{
		pass:       pass,
		name:       pass.Analyzer.Name,
		directives: map[lineKey][]*directive{},
		generated:  map[string]bool{},
		fileNolint: map[string][]*directive{},
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		if ast.IsGenerated(f) {
			r.generated[tf.Name()] = true
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				r.parse(tf, c)
			}
		}
	}
	return r
}

func (r *Reporter) parse(tf *token.File, c *ast.Comment) {
	text := c.Text
	if !strings.HasPrefix(text, "//") {
		return
	}
	body := strings.TrimPrefix(text, "//")
	pos := tf.Position(c.Slash)
	key := lineKey{pos.Filename, pos.Line}
	switch {
	case strings.HasPrefix(body, "lifeguard:ignore"):
		rest := strings.TrimPrefix(body, "lifeguard:ignore")
		if i := strings.Index(rest, "//"); i >= 0 {
			rest = rest[:i] // a trailing comment is not the reason
		}
		fields := strings.Fields(rest)
		if !strings.HasPrefix(body, "lifeguard:ignore ") && len(body) > len("lifeguard:ignore") {
			return // e.g. //lifeguard:ignored — not ours
		}
		d := &directive{pos: c.Slash, file: pos.Filename, line: pos.Line}
		if len(fields) > 0 {
			d.analyzer = fields[0]
		}
		switch {
		case len(fields) == 0:
			if r.name == UnknownReporter {
				r.bad = append(r.bad, analysis.Diagnostic{Pos: c.Slash, End: c.End(), Category: "directive",
					Message: "malformed //lifeguard:ignore directive: it names no analyzer and suppresses nothing; write //lifeguard:ignore <analyzer> <reason>"})
			}
			return
		case !known(d.analyzer):
			if r.name == UnknownReporter {
				r.bad = append(r.bad, analysis.Diagnostic{Pos: c.Slash, End: c.End(), Category: "directive",
					Message: "//lifeguard:ignore names unknown analyzer " + d.analyzer + ": it suppresses nothing; use one of " + knownList()})
			}
			return
		case d.analyzer != r.name:
			return
		case len(fields) < 2:
			r.bad = append(r.bad, analysis.Diagnostic{Pos: c.Slash, End: c.End(), Category: "directive",
				Message: "//lifeguard:ignore " + r.name + " without a reason: it suppresses nothing until it says why; write //lifeguard:ignore " + r.name + " <reason>"})
			return
		}
		r.directives[key] = append(r.directives[key], d)
		r.ignores = append(r.ignores, d)
	case strings.HasPrefix(body, "lint:ignore ") || strings.HasPrefix(body, "lint:file-ignore "):
		// staticcheck's directives, for the staticcheck checks lifeguard
		// runs: //lint:ignore SA1012,SA1029 reason. staticcheck itself
		// reports the ones that are malformed or unused.
		verb, rest, _ := strings.Cut(body, " ")
		fields := strings.Fields(rest)
		if len(fields) < 2 {
			return
		}
		d := &directive{pos: c.Slash, file: pos.Filename, line: pos.Line, nolint: strings.Split(fields[0], ",")}
		if verb == "lint:file-ignore" {
			r.fileNolint[pos.Filename] = append(r.fileNolint[pos.Filename], d)
			return
		}
		r.directives[key] = append(r.directives[key], d)
	case strings.HasPrefix(body, "nolint"):
		rest := strings.TrimPrefix(body, "nolint")
		d := &directive{pos: c.Slash, file: pos.Filename, line: pos.Line}
		switch {
		case rest == "" || rest[0] == ' ' || rest[0] == '\t':
			if driverNolint.Load() {
				return
			}
			d.nolint = []string{"all"}
		case rest[0] == ':':
			list := rest[1:]
			if i := strings.IndexAny(list, " \t/"); i >= 0 {
				list = list[:i]
			}
			d.nolint = strings.Split(list, ",")
			if driverNolint.Load() {
				d.nolint = slices.DeleteFunc(d.nolint, func(n string) bool {
					n = strings.TrimSpace(n)
					return n == "all" || n == "lifeguard"
				})
				if len(d.nolint) == 0 {
					return
				}
			}
		default:
			return
		}
		r.directives[key] = append(r.directives[key], d)
	}
}

// Report reports d unless it is in a generated file or suppressed.
func (r *Reporter) Report(d analysis.Diagnostic) {
	pos := r.pass.Fset.Position(d.Pos)
	if r.generated[pos.Filename] {
		return
	}
	for _, dir := range r.fileNolint[pos.Filename] {
		if dir.matches(r.name) {
			return
		}
	}
	for _, line := range []int{pos.Line, pos.Line - 1} {
		for _, dir := range r.directives[lineKey{pos.Filename, line}] {
			if dir.matches(r.name) {
				dir.used = true
				return
			}
		}
	}
	if driverDropsRelated.Load() {
		d.Related = nil
	}
	r.pass.Report(d)
}

// driverDropsRelated is set by OmitRelated.
var driverDropsRelated atomic.Bool

// OmitRelated says whether findings are reported without their related
// information. golangci-lint turns each related location into an issue of
// its own, which its //nolint on the finding does not cover; for it the
// message, which names every related position, has to be enough.
func OmitRelated(on bool) { driverDropsRelated.Store(on) }

// Reportf is Report with a formatted message at pos.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (d *directive) matches(analyzer string) bool {
	if d.analyzer != "" {
		return d.analyzer == analyzer
	}
	for _, n := range d.nolint {
		switch strings.TrimSpace(n) {
		case "all", "lifeguard", analyzer:
			return true
		}
	}
	return false
}

// Finish reports malformed directives and ignore directives for this
// analyzer that suppressed nothing. Call it once, after the last Report.
func (r *Reporter) Finish() {
	for _, d := range r.bad {
		r.pass.Report(d)
	}
	for _, d := range r.ignores {
		if !d.used {
			r.pass.Report(analysis.Diagnostic{Pos: d.pos, Category: "directive",
				Message: "unused //lifeguard:ignore " + r.name + " directive: " + r.name + " reports nothing on this line or the next; remove the directive"})
		}
	}
}

// Filtered returns a copy of a, an analyzer lifeguard bundles from
// elsewhere, whose diagnostics pass through the same directives as
// lifeguard's own: //lifeguard:ignore <name> <reason>, //nolint:<name> and,
// for staticcheck's checks, //lint:ignore <check> <reason>. The copy keeps
// a's name, flags, requirements and result.
func Filtered(a *analysis.Analyzer) *analysis.Analyzer {
	Register(a.Name)
	filtered := *a
	run := a.Run
	filtered.Run = func(pass *analysis.Pass) (any, error) {
		rep := New(pass)
		inner := *pass
		inner.Report = rep.Report
		result, err := run(&inner)
		rep.Finish()
		return result, err
	}
	return &filtered
}
