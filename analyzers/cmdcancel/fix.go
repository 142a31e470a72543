package cmdcancel

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// waitDelayConst is the constant the suggested fix sets WaitDelay to, so
// that the user sees one place to change it.
const waitDelayConst = "cmdWaitDelay"

// assignment returns the statement that assigns the command made at pos
// to a variable or field, and that variable's text (cmd, s.cmd).
func (c *checker) assignment(pos token.Pos) (ast.Stmt, string) {
	path := c.Src.Enclosing(pos, pos)
	for i, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if i > 0 && n.Lparen != pos {
				return nil, ""
			}
			continue
		case *ast.ParenExpr:
			continue
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
				if lhs := types.ExprString(n.Lhs[0]); lhs != "_" {
					return n, lhs
				}
			}
		case *ast.DeclStmt:
			if gd, ok := n.Decl.(*ast.GenDecl); ok && len(gd.Specs) == 1 {
				if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 {
					return n, vs.Names[0].Name
				}
			}
		case *ast.ValueSpec:
			continue
		case *ast.GenDecl:
			continue
		}
		return nil, ""
	}
	return nil, ""
}

// cmdName is the text naming the command in messages: the variable or
// field it is assigned to, else "cmd".
func (c *checker) cmdName(cmd *command) string {
	if _, name := c.assignment(cmd.pos()); name != "" && isSimple(name) {
		return name
	}
	return "cmd"
}

func isSimple(s string) bool {
	for _, r := range s {
		if !(r == '.' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return s != ""
}

// waitDelayFix inserts name.WaitDelay = cmdWaitDelay after the statement
// that makes a CommandContext command in this function, declaring the
// constant (5 s, for the user to change) and importing time when the
// package and file lack them. Wait then waits at most that long for the
// output pipes after the kill. Only for a command made here by
// CommandContext and assigned to a variable or field in a block.
func (c *checker) waitDelayFix(fn *ssa.Function, cmd *command, name string) (analysis.SuggestedFix, bool) {
	if cmd.root.Call != nil || !cmd.byContext {
		return analysis.SuggestedFix{}, false
	}
	stmt, lhs := c.assignment(cmd.pos())
	if stmt == nil || lhs != name {
		return analysis.SuggestedFix{}, false
	}
	file := c.fileOf(cmd.pos())
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := c.Pass.Fset.File(stmt.Pos())
	if tf == nil {
		return analysis.SuggestedFix{}, false
	}
	col := c.Pass.Fset.Position(stmt.Pos()).Column
	src, err := c.Pass.ReadFile(tf.Name())
	indent := "\t"
	if err == nil {
		line := tf.LineStart(tf.Line(stmt.Pos()))
		off := tf.Offset(line)
		if end := off + col - 1; end <= len(src) {
			indent = string(src[off:end])
		}
	}
	// After the statement's line, comment included.
	at := stmt.End()
	if line := tf.Line(stmt.End()); line < tf.LineCount() {
		at = tf.LineStart(line+1) - 1
	}
	timeName, imported := importName(file, "time")
	edits := []analysis.TextEdit{{
		Pos:     at,
		End:     at,
		NewText: []byte(fmt.Sprintf("\n%s%s.WaitDelay = %s", indent, name, waitDelayConst)),
	}}
	if c.Pass.Pkg.Scope().Lookup(waitDelayConst) == nil {
		at := file.Name.End()
		for _, d := range file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				at = gd.End()
			}
		}
		edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte(fmt.Sprintf(
			"\n\n// %s bounds how long Wait waits for a command's output pipes once it is\n// killed: a child the command started may hold them open for ever.\nconst %s = 5 * %s.Second",
			waitDelayConst, waitDelayConst, timeName))})
	}
	if !imported {
		edits = append(edits, importEdit(file, "time"))
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Set %s.WaitDelay", name),
		TextEdits: edits,
	}, true
}

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.Pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// importName returns the name the file imports path under, and whether it
// does.
func importName(f *ast.File, path string) (string, bool) {
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil && p == path {
			if imp.Name != nil {
				return imp.Name.Name, imp.Name.Name != "_" && imp.Name.Name != "."
			}
			return path[strings.LastIndex(path, "/")+1:], true
		}
	}
	return path[strings.LastIndex(path, "/")+1:], false
}

// importEdit adds an import of path to the file: into its first import
// declaration, or as a new one after the package clause.
func importEdit(f *ast.File, path string) analysis.TextEdit {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if gd.Lparen.IsValid() {
			// In order, as gofmt sorts the first group.
			at := gd.Lparen + 1
			for _, spec := range gd.Specs {
				is := spec.(*ast.ImportSpec)
				if p, err := strconv.Unquote(is.Path.Value); err == nil && p > path {
					break
				}
				at = spec.End()
			}
			return analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n\t" + strconv.Quote(path))}
		}
		return analysis.TextEdit{Pos: gd.Pos(), End: gd.Pos(), NewText: []byte("import " + strconv.Quote(path) + "\n")}
	}
	at := f.Name.End()
	return analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n\nimport " + strconv.Quote(path))}
}
