package cmdwait

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
)

// This file makes the suggested fixes of two findings, where the rewrite
// is mechanical and keeps both the program's meaning and its compiling:
//
//   - cmd.Process.Wait() → cmd.Wait(), when the error is discarded:
//     cmd.Wait reports a non-zero exit as an *exec.ExitError where
//     Process.Wait returns a nil error, so rewriting a call whose error is
//     looked at would change what the code does on failure. The
//     ProcessState a caller keeps is cmd.ProcessState after the Wait:
//     state, _ := cmd.Process.Wait() becomes _ = cmd.Wait() and
//     state := cmd.ProcessState, in that order. Not for a command with a
//     StdoutPipe or StderrPipe: cmd.Wait closes them, and a read after
//     the Wait that works today would fail.
//   - a Wait after Run, Output or CombinedOutput is removed when Run runs
//     on every path to it and no Start can: that Wait always fails (os/exec
//     returns "exec: Wait was already called", or "exec: not started" when
//     Run could not start the child). Only a statement whose result is
//     unused (cmd.Wait(), _ = cmd.Wait()) or only checked and returned
//     (if err := cmd.Wait(); err != nil { return err }, no else) is
//     removed: what it did was fail with that bogus error. A body that
//     does more (logs, wraps) keeps its Wait: removing it could leave an
//     import or a variable unused.

func (c *checker) text(n ast.Node) string {
	var b bytes.Buffer
	if err := format.Node(&b, c.Pass.Fset, n); err != nil {
		return ""
	}
	return b.String()
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// inStmtList reports whether stmt is an element of a statement list (a
// block or a case body), where it can be replaced by two statements.
func inStmtList(stmt ast.Stmt, parent ast.Node) bool {
	var list []ast.Stmt
	switch p := parent.(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	}
	for _, s := range list {
		if s == stmt {
			return true
		}
	}
	return false
}

// processWaitFixes returns the fix of cmd.Process.Wait() at the call, or
// nil when its results are used in a way a rewrite would change.
func (c *checker) processWaitFixes(ops []lifecycle.Op, call *ssa.Call) []analysis.SuggestedFix {
	for _, op := range ops {
		if op.Method == "StdoutPipe" || op.Method == "StderrPipe" {
			// cmd.Wait closes the pipes: a read after the Wait, which
			// works after Process.Wait, would fail.
			return nil
		}
	}
	ce := c.Src.Call(call.Pos())
	if ce == nil || len(ce.Args) != 0 {
		return nil
	}
	waitSel, ok := ast.Unparen(ce.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	procSel, ok := ast.Unparen(waitSel.X).(*ast.SelectorExpr)
	if !ok || procSel.Sel.Name != "Process" {
		return nil
	}
	cmdText := c.text(procSel.X)
	if cmdText == "" || !plainRef(procSel.X) {
		return nil
	}
	// cmd.Process.Wait → cmd.Wait: drop ".Process".
	dropProcess := analysis.TextEdit{Pos: procSel.X.End(), End: procSel.End()}
	path := c.Src.Enclosing(ce.Pos(), ce.End())
	if len(path) < 2 {
		return nil
	}
	msg := "call " + cmdText + ".Wait instead"
	switch stmt := path[1].(type) {
	case *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt:
		// Results discarded.
		return []analysis.SuggestedFix{{Message: msg, TextEdits: []analysis.TextEdit{dropProcess}}}
	case *ast.AssignStmt:
		if len(stmt.Lhs) != 2 || len(stmt.Rhs) != 1 || ast.Unparen(stmt.Rhs[0]) != ce || !isBlank(stmt.Lhs[1]) {
			return nil // the error is looked at: cmd.Wait would report exits as errors
		}
		if isBlank(stmt.Lhs[0]) {
			// _, _ = cmd.Process.Wait() → _ = cmd.Wait()
			return []analysis.SuggestedFix{{Message: msg, TextEdits: []analysis.TextEdit{
				{Pos: stmt.Pos(), End: ce.Pos(), NewText: []byte("_ = ")},
				dropProcess,
			}}}
		}
		if !inStmtList(stmt, path[2]) || (stmt.Tok != token.DEFINE && stmt.Tok != token.ASSIGN) {
			return nil
		}
		state := c.text(stmt.Lhs[0])
		if state == "" {
			return nil
		}
		tok := "="
		if id, ok := stmt.Lhs[0].(*ast.Ident); ok && stmt.Tok == token.DEFINE && c.Pass.TypesInfo.Defs[id] != nil {
			tok = ":=" // state is declared here
		}
		eol, ok := c.lineEnd(stmt.End())
		if !ok {
			return nil // more code on the line
		}
		indent := c.indentOf(stmt.Pos())
		return []analysis.SuggestedFix{{Message: msg + " and read " + cmdText + ".ProcessState", TextEdits: []analysis.TextEdit{
			{Pos: stmt.Pos(), End: ce.Pos(), NewText: []byte("_ = ")},
			dropProcess,
			{Pos: eol, End: eol, NewText: []byte("\n" + indent + state + " " + tok + " " + cmdText + ".ProcessState")},
		}}}
	}
	return nil
}

// indentOf returns the white space that begins the line of pos.
func (c *checker) indentOf(pos token.Pos) string {
	f := c.Pass.Fset.File(pos)
	if f == nil {
		return "\t"
	}
	content := c.fileContent(f)
	off := f.Offset(pos)
	if content == nil || off > len(content) {
		return "\t"
	}
	start := bytes.LastIndexByte(content[:off], '\n') + 1
	i := start
	for i < off && (content[i] == ' ' || content[i] == '\t') {
		i++
	}
	return string(content[start:i])
}

func (c *checker) fileContent(f *token.File) []byte {
	if c.Pass.ReadFile == nil {
		return nil
	}
	b, err := c.Pass.ReadFile(f.Name())
	if err != nil {
		return nil
	}
	return b
}

// dropWaitFixes returns the fix that removes the Wait call after a Run
// (prev), or nil when Run does not precede it on every path, a Start could
// reach it, or its result is used.
func (c *checker) dropWaitFixes(root ssa.Instruction, ops []lifecycle.Op, prev lifecycle.Op, wait *ssa.Call) []analysis.SuggestedFix {
	if !cfgpath.Precedes(prev.Instr, wait) {
		return nil
	}
	for _, op := range ops {
		if op.Method == "Start" && !op.OnProcess && c.Graph.Reaches(op.Instr, wait, func(in ssa.Instruction) bool { return in == root }) {
			return nil
		}
	}
	ce := c.Src.Call(wait.Pos())
	if ce == nil {
		return nil
	}
	if sel, ok := ast.Unparen(ce.Fun).(*ast.SelectorExpr); !ok || !plainRef(sel.X) {
		return nil // removing it would remove the calls that compute the command
	}
	path := c.Src.Enclosing(ce.Pos(), ce.End())
	if len(path) < 3 {
		return nil
	}
	var stmt ast.Stmt
	parent := path[2]
	switch s := path[1].(type) {
	case *ast.ExprStmt:
		stmt = s
	case *ast.AssignStmt:
		if len(s.Lhs) == 1 && isBlank(s.Lhs[0]) && s.Tok == token.ASSIGN && len(s.Rhs) == 1 {
			stmt = s
		} else if ifs, ok := path[2].(*ast.IfStmt); ok && ifs.Init == s && len(path) > 3 && c.onlyReports(ifs, s, ce) {
			// if err := cmd.Wait(); err != nil { report it }
			stmt, parent = ifs, path[3]
		}
	}
	if stmt == nil || !inStmtList(stmt, parent) {
		return nil
	}
	return []analysis.SuggestedFix{{Message: "remove the Wait: the command was already waited for", TextEdits: []analysis.TextEdit{c.deleteStmt(stmt)}}}
}

// onlyReports reports whether the if statement, whose init is
// err := Wait(), only reports the error: the condition is err != nil, the
// body one return of err (with nil or literals for the other results), no
// else. Wait after Run always fails, so the body always ran:
// what is removed is the report of a bogus error.
func (c *checker) onlyReports(ifs *ast.IfStmt, init *ast.AssignStmt, ce *ast.CallExpr) bool {
	if ifs.Else != nil || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 || ast.Unparen(init.Rhs[0]) != ce {
		return false
	}
	id, ok := init.Lhs[0].(*ast.Ident)
	if !ok || c.Pass.TypesInfo.Defs[id] == nil {
		return false
	}
	errObj := c.Pass.TypesInfo.Defs[id]
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ {
		return false
	}
	x, okx := ast.Unparen(cond.X).(*ast.Ident)
	y, oky := ast.Unparen(cond.Y).(*ast.Ident)
	if !okx || !oky || c.Pass.TypesInfo.Uses[x] != errObj || y.Name != "nil" {
		return false
	}
	if len(ifs.Body.List) != 1 {
		return false
	}
	// return err, or return nil, "", 0, err: removing it leaves no
	// variable or import unused.
	ret, ok := ifs.Body.List[0].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	for _, r := range ret.Results {
		switch r := ast.Unparen(r).(type) {
		case *ast.BasicLit:
		case *ast.Ident:
			if r.Name != "nil" && c.Pass.TypesInfo.Uses[r] != errObj {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// plainRef reports whether e is a variable or a field of one (cmd,
// s.cmd): evaluating it again, or not at all, changes nothing.
func plainRef(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return plainRef(e.X)
	}
	return false
}

// lineEnd returns the position of the newline ending the line of pos,
// when only white space or a line comment follow pos on it.
func (c *checker) lineEnd(pos token.Pos) (token.Pos, bool) {
	f := c.Pass.Fset.File(pos)
	if f == nil {
		return token.NoPos, false
	}
	content := c.fileContent(f)
	off := f.Offset(pos)
	if content == nil || off > len(content) {
		return token.NoPos, false
	}
	nl := bytes.IndexByte(content[off:], '\n')
	if nl < 0 {
		return token.NoPos, false
	}
	rest := bytes.TrimSpace(content[off : off+nl])
	if len(rest) != 0 && !bytes.HasPrefix(rest, []byte("//")) {
		return token.NoPos, false
	}
	return f.Pos(off + nl), true
}

// deleteStmt returns the edit that deletes stmt and, when it is alone on
// its lines (a line comment after it goes with it), the lines themselves.
func (c *checker) deleteStmt(stmt ast.Stmt) analysis.TextEdit {
	edit := analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End()}
	f := c.Pass.Fset.File(stmt.Pos())
	if f == nil {
		return edit
	}
	content := c.fileContent(f)
	start := f.Offset(stmt.Pos())
	if content == nil || start > len(content) {
		return edit
	}
	ls := bytes.LastIndexByte(content[:start], '\n') + 1
	if len(bytes.TrimSpace(content[ls:start])) != 0 {
		return edit
	}
	eol, ok := c.lineEnd(stmt.End())
	if !ok {
		return edit
	}
	return analysis.TextEdit{Pos: f.Pos(ls), End: eol + 1}
}
