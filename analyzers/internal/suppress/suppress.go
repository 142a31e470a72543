// Package suppress filters an analyzer's diagnostics through the directives
// users write in source:
//
//	//lifeguard:ignore <analyzer> <reason>   (this line or the line above)
//	//nolint:lifeguard  //nolint:<analyzer>  //nolint
//	//lint:ignore <check> <reason>           (staticcheck's, for its checks)
//
// The reason of an ignore directive is required. A lifeguard:ignore directive
// that is malformed, or that suppresses nothing, is itself reported, so
// stale suppressions do not pile up: one naming an analyzer by the analyzer
// it names, one naming no analyzer or an unknown one by the first running
// analyzer of the suite (config.ReportsDirectives). Diagnostics in generated
// files are dropped: their fix belongs in the generator.
//
// The directives of a package are parsed once, by Analyzer, which every
// analyzer that reports through a Filter requires.
package suppress

import (
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/config"
)

// Analyzer parses the suppression directives of a package; its result is a
// *Directives. It parses nothing in packages that are not roots
// (config.IsRoot): their findings are not reported.
var Analyzer = &analysis.Analyzer{
	Name:       "lifeguarddirectives",
	Doc:        "parse lifeguard's suppression directives once per package",
	URL:        "https://github.com/lifeguard-go/lifeguard",
	Run:        parse,
	ResultType: reflect.TypeFor[*Directives](),
}

// Directives are the suppression directives of one package.
type Directives struct {
	generated map[string]bool          // file names
	byLine    map[lineKey][]*directive // by the line they are written on
	fileWide  map[string][]*directive  // //lint:file-ignore, by file name
	// ignores are the //lifeguard:ignore directives, in source order.
	ignores []*directive
}

type lineKey struct {
	file string
	line int
}

type directive struct {
	pos      token.Pos
	end      token.Pos
	analyzer string   // of a //lifeguard:ignore
	reason   bool     // a //lifeguard:ignore gives a reason
	nolint   []string // of //nolint and //lint:ignore: the names listed
	// malformed says why a //lifeguard:ignore suppresses nothing that no
	// analyzer it names could say: it names none, or one the suite does
	// not offer.
	malformed string
}

func parse(pass *analysis.Pass) (any, error) {
	if !config.IsRoot(pass.Pkg) {
		return &Directives{}, nil // nothing to suppress: nothing is reported
	}
	ds := &Directives{
		generated: map[string]bool{},
		byLine:    map[lineKey][]*directive{},
		fileWide:  map[string][]*directive{},
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		if ast.IsGenerated(f) {
			ds.generated[tf.Name()] = true
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				ds.parse(tf, c)
			}
		}
	}
	return ds, nil
}

func (ds *Directives) parse(tf *token.File, c *ast.Comment) {
	body, ok := strings.CutPrefix(c.Text, "//")
	if !ok {
		return
	}
	pos := tf.Position(c.Slash)
	key := lineKey{pos.Filename, pos.Line}
	switch {
	case strings.HasPrefix(body, "lifeguard:ignore"):
		rest := strings.TrimPrefix(body, "lifeguard:ignore")
		if !strings.HasPrefix(body, "lifeguard:ignore ") && rest != "" {
			return // e.g. //lifeguard:ignored — not ours
		}
		if i := strings.Index(rest, "//"); i >= 0 {
			rest = rest[:i] // a trailing comment is not the reason
		}
		fields := strings.Fields(rest)
		d := &directive{pos: c.Slash, end: c.End(), reason: len(fields) >= 2}
		switch {
		case len(fields) == 0:
			d.malformed = "malformed //lifeguard:ignore directive: it names no analyzer and suppresses nothing; write //lifeguard:ignore <analyzer> <reason>"
		case !config.KnownName(fields[0]):
			d.malformed = "//lifeguard:ignore names unknown analyzer " + fields[0] + ": it suppresses nothing; use one of " + knownList()
		default:
			d.analyzer = fields[0]
			if d.reason {
				ds.byLine[key] = append(ds.byLine[key], d)
			}
		}
		ds.ignores = append(ds.ignores, d)
	case strings.HasPrefix(body, "lint:ignore ") || strings.HasPrefix(body, "lint:file-ignore "):
		// staticcheck's directives, for the staticcheck checks lifeguard
		// runs: //lint:ignore SA1012,SA1029 reason. staticcheck itself
		// reports the ones that are malformed or unused.
		verb, rest, _ := strings.Cut(body, " ")
		fields := strings.Fields(rest)
		if len(fields) < 2 {
			return
		}
		d := &directive{pos: c.Slash, end: c.End(), nolint: strings.Split(fields[0], ",")}
		if verb == "lint:file-ignore" {
			ds.fileWide[pos.Filename] = append(ds.fileWide[pos.Filename], d)
			return
		}
		ds.byLine[key] = append(ds.byLine[key], d)
	case strings.HasPrefix(body, "nolint"):
		rest := strings.TrimPrefix(body, "nolint")
		d := &directive{pos: c.Slash, end: c.End()}
		byDriver := config.DriverAppliesNolint()
		switch {
		case rest == "" || rest[0] == ' ' || rest[0] == '\t':
			if byDriver {
				return
			}
			d.nolint = []string{"all"}
		case rest[0] == ':':
			list := rest[1:]
			if i := strings.IndexAny(list, " \t/"); i >= 0 {
				list = list[:i]
			}
			d.nolint = strings.Split(list, ",")
			if byDriver {
				// The driver applies these; the analyzers are one
				// linter to it, and leave it what it knows of.
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
		ds.byLine[key] = append(ds.byLine[key], d)
	}
}

func knownList() string {
	names := config.Names()
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// matches reports whether the directive suppresses the analyzer's findings.
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

// A Filter reports one analyzer's diagnostics in one package unless a
// directive suppresses them.
type Filter struct {
	pass *analysis.Pass
	dirs *Directives
	used map[*directive]bool
}

// NewFilter returns the filter for pass, whose analyzer requires Analyzer.
func NewFilter(pass *analysis.Pass) *Filter {
	dirs, _ := pass.ResultOf[Analyzer].(*Directives)
	if dirs == nil {
		panic("suppress: analyzer " + pass.Analyzer.Name + " does not require suppress.Analyzer")
	}
	return &Filter{pass: pass, dirs: dirs, used: map[*directive]bool{}}
}

// Suppressed reports whether d is in a generated file or suppressed by a
// directive, and marks the //lifeguard:ignore directive that suppresses it
// as used.
func (f *Filter) Suppressed(d analysis.Diagnostic) bool {
	pos := f.pass.Fset.Position(d.Pos)
	if f.dirs.generated[pos.Filename] {
		return true
	}
	name := f.pass.Analyzer.Name
	for _, dir := range f.dirs.fileWide[pos.Filename] {
		if dir.matches(name) {
			return true
		}
	}
	for _, line := range []int{pos.Line, pos.Line - 1} {
		for _, dir := range f.dirs.byLine[lineKey{pos.Filename, line}] {
			if dir.matches(name) {
				f.used[dir] = true
				return true
			}
		}
	}
	return false
}

// Report reports d unless it is suppressed, without its related information
// when the driver asks so (config.OmitRelated). It reports whether d was
// reported.
func (f *Filter) Report(d analysis.Diagnostic) bool {
	if f.Suppressed(d) {
		return false
	}
	if config.OmitRelated() {
		d.Related = nil
	}
	f.pass.Report(d)
	return true
}

// Finish reports the directives of this analyzer that are malformed or
// suppressed nothing, and, if this analyzer is the one that does
// (config.ReportsDirectives), those naming no analyzer of the suite. Call
// it once, after the last Report.
func (f *Filter) Finish() {
	name := f.pass.Analyzer.Name
	reportsMalformed := config.ReportsDirectives(f.pass.Analyzer)
	for _, d := range f.dirs.ignores {
		switch {
		case d.malformed != "" && reportsMalformed:
			f.pass.Report(analysis.Diagnostic{Pos: d.pos, End: d.end, Category: "directive", Message: d.malformed})
		case d.analyzer == name && !d.reason:
			f.pass.Report(analysis.Diagnostic{Pos: d.pos, End: d.end, Category: "directive",
				Message: "//lifeguard:ignore " + name + " without a reason: it suppresses nothing until it says why; write //lifeguard:ignore " + name + " <reason>"})
		}
	}
	for _, d := range f.dirs.ignores {
		if d.analyzer == name && d.reason && !f.used[d] {
			f.pass.Report(analysis.Diagnostic{Pos: d.pos, Category: "directive",
				Message: "unused //lifeguard:ignore " + name + " directive: " + name + " reports nothing on this line or the next; remove the directive"})
		}
	}
}

// Filtered returns a copy of a, an analyzer lifeguard bundles from
// elsewhere, whose diagnostics pass through the same directives as
// lifeguard's own: //lifeguard:ignore <name> <reason>, //nolint:<name> and,
// for staticcheck's checks, //lint:ignore <check> <reason>. The copy keeps
// a's name, flags, result and requirements, and requires Analyzer too.
func Filtered(a *analysis.Analyzer) *analysis.Analyzer {
	filtered := *a
	filtered.Requires = append(slices.Clip(a.Requires), Analyzer)
	run := a.Run
	filtered.Run = func(pass *analysis.Pass) (any, error) {
		f := NewFilter(pass)
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) { f.Report(d) }
		result, err := run(&inner)
		f.Finish()
		return result, err
	}
	return &filtered
}
