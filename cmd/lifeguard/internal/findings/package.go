package findings

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// A Package is what the analysis of one package leaves for the report, with
// every position resolved, so that it outlives the package's syntax and
// types and can be kept in the result cache as it is.
type Package struct {
	ID   string
	Root bool // one of the packages the run was asked for

	// Files are the package's GoFiles and CompiledGoFiles, absolute
	// (roots only).
	Files []string

	// Errors are the package's load, parse and type errors;
	// ModuleError is its module's, if any.
	Errors      []packages.Error
	ModuleError string

	// Outline is what the report needs of the package's syntax: which
	// files are generated, where the functions are (roots only).
	Outline []FileOutline

	// Actions are the analyzers run on the package, with their
	// diagnostics (roots only) or error.
	Actions []*Action
}

// A FileOutline is the shape of one file of a root package.
type FileOutline struct {
	Name      string // absolute, as the FileSet has it
	Generated bool   // ast.IsGenerated
	Decls     []Decl // the top-level declarations, in order
}

// A Decl is a top-level declaration: the offsets and lines it spans, and
// the name the baselines give findings in it.
type Decl struct {
	Start, End         int // byte offsets, End exclusive
	StartLine, EndLine int
	Name               string // the function, T.Method, or "init" for a variable's initializer
	FuncBody           bool   // a function declaration with a body
}

// An Action is the outcome of one analyzer on one package.
type Action struct {
	Analyzer string
	// Err is the analyzer's failure, if any; DepFailed says it failed
	// because a prerequisite did, Skipped that it did not run because
	// the package does not type-check.
	Err       string
	DepFailed bool
	Skipped   bool

	Diagnostics []*Diagnostic
}

// A Diagnostic is an analysis.Diagnostic with its positions resolved, and
// what its analyzer said of it beyond it (suite.DetailOf).
type Diagnostic struct {
	Posn, End token.Position // End: the diagnostic's End, or its Pos
	Message   string
	Category  string
	URL       string
	Related   []Location
	Fixes     []Fix

	Path        []Location // see Finding.Path
	Fingerprint string     // see Finding.Fingerprint
	Decl        string     // the top-level declaration that holds Posn, see Decl.Name
}

// A Fix is a suggested fix with its edits resolved to byte offsets.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the bytes Start to End of File with NewText.
type Edit struct {
	File       string // the token.File's name; "" when the edit is in no file of the FileSet
	FileSize   int    // the file's size when it was analyzed
	Start, End int    // byte offsets; End is Start for an insertion
	NewText    string

	// For the go/analysis JSON, which prints them as the FileSet
	// resolves the edit's Pos and End: Posn's file name honours //line
	// directives, and a missing End is offset 0.
	PosnFile string
	JSONEnd  int
}

// NewPackage starts the Package of one loaded package: its identity, files
// and errors, and for a root the outline of its syntax.
func NewPackage(pkg *packages.Package, root bool) *Package {
	p := &Package{ID: pkg.ID, Root: root, Errors: pkg.Errors}
	if mod := pkg.Module; mod != nil && mod.Error != nil {
		p.ModuleError = mod.Error.Err
	}
	if !root {
		return p
	}
	p.Files = slices.Concat(pkg.GoFiles, pkg.CompiledGoFiles)
	for _, file := range pkg.Syntax {
		tf := pkg.Fset.File(file.FileStart)
		if tf == nil {
			continue
		}
		o := FileOutline{Name: tf.Name(), Generated: ast.IsGenerated(file)}
		for _, decl := range file.Decls {
			d := Decl{
				Start: tf.Offset(decl.Pos()), End: tf.Offset(decl.End()),
				StartLine: pkg.Fset.Position(decl.Pos()).Line, EndLine: pkg.Fset.Position(decl.End()).Line,
				Name: "init", // a package-level variable's initializer runs in init
			}
			if fn, ok := decl.(*ast.FuncDecl); ok {
				d.Name = funcName(fn)
				d.FuncBody = fn.Body != nil
			}
			o.Decls = append(o.Decls, d)
		}
		p.Outline = append(p.Outline, o)
	}
	return p
}

// AddAction records the outcome of analyzer a on the package: result and
// diags are its, err its failure. The diagnostics are kept for a root only.
func (p *Package) AddAction(fset *token.FileSet, a *analysis.Analyzer, result any, diags []analysis.Diagnostic, err error, depFailed, skipped bool) {
	act := &Action{Analyzer: a.Name, DepFailed: depFailed, Skipped: skipped}
	if err != nil {
		act.Err = err.Error()
	}
	if p.Root && err == nil {
		for _, d := range diags {
			act.Diagnostics = append(act.Diagnostics, p.resolve(fset, result, d))
		}
	}
	p.Actions = append(p.Actions, act)
}

// resolve turns d into a Diagnostic.
func (p *Package) resolve(fset *token.FileSet, result any, d analysis.Diagnostic) *Diagnostic {
	posn := fset.Position(d.Pos)
	rd := &Diagnostic{
		Posn:     posn,
		End:      fset.Position(cmp.Or(d.End, d.Pos)),
		Message:  d.Message,
		Category: d.Category,
		URL:      d.URL,
	}
	for _, r := range d.Related {
		rd.Related = append(rd.Related, location(fset, r.Pos, r.End, r.Message))
	}
	for _, sf := range d.SuggestedFixes {
		fix := Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			edit := Edit{NewText: string(e.NewText), PosnFile: fset.Position(e.Pos).Filename, JSONEnd: fset.Position(e.End).Offset}
			if tf := fset.File(e.Pos); tf != nil {
				end := e.End
				if !end.IsValid() {
					end = e.Pos // an insertion
				}
				edit.File, edit.FileSize, edit.Start, edit.End = tf.Name(), tf.Size(), tf.Offset(e.Pos), tf.Offset(end)
			}
			fix.Edits = append(fix.Edits, edit)
		}
		rd.Fixes = append(rd.Fixes, fix)
	}
	if det, ok := detailOf(result, d); ok {
		for _, step := range det.Path {
			rd.Path = append(rd.Path, location(fset, step.Pos, step.End, step.Message))
		}
		rd.Fingerprint = det.Fingerprint
	}
	if d.Pos.IsValid() {
		if tf := fset.File(d.Pos); tf != nil {
			rd.Decl = p.declName(tf.Name(), tf.Offset(d.Pos))
		}
	}
	return rd
}

// detailOf is suite.DetailOf; tests stand in for the suite's results.
var detailOf = suite.DetailOf

// declName names the top-level declaration of file that holds offset.
func (p *Package) declName(file string, offset int) string {
	for _, o := range p.Outline {
		if o.Name != file {
			continue
		}
		for _, d := range o.Decls {
			if d.Start <= offset && offset < d.End {
				return d.Name
			}
		}
		return ""
	}
	return ""
}

// IsGenerated reports whether file is one of the package's and generated.
func (p *Package) IsGenerated(file string) bool {
	for _, o := range p.Outline {
		if o.Name == file {
			return o.Generated
		}
	}
	return false
}

// funcName is the name baselines give a function: F, or T.M for a method.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	return receiverName(fn.Recv.List[0].Type) + "." + fn.Name.Name
}

// receiverName names a method's receiver type as baselines show it: T,
// or (*T) for a pointer, without type parameters.
func receiverName(typ ast.Expr) string {
	switch t := typ.(type) {
	case *ast.ParenExpr:
		return receiverName(t.X)
	case *ast.StarExpr:
		return "(*" + receiverName(t.X) + ")"
	case *ast.IndexExpr:
		return receiverName(t.X)
	case *ast.IndexListExpr:
		return receiverName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}
