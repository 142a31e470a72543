package handlerrecover

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

type linkKind uint8

const (
	root    linkKind = iota // an HTTP handler
	called                  // called (or deferred) by from at pos
	started                 // started by a go statement of from at pos
	literal                 // a function literal made in from
)

// link is how a function is reached from an HTTP handler, by the
// shortest chain, which messages name.
type link struct {
	kind  linkKind
	from  *ssa.Function
	pos   token.Pos
	depth int // calls and go statements of named functions from the handler
}

// maxDepth bounds the chain from a handler to the function holding a go
// statement: the handler, the helpers it calls or starts, and theirs. Past
// that the go statement belongs to a subsystem the request merely reaches
// (a connection's machinery, a storage engine's flush loop; nats-server
// reaches most of itself from its monitoring handlers), not to work the
// handler started, and its recover policy is that subsystem's.
const maxDepth = 2

// reach finds the HTTP handlers of the package and the package's functions
// they call, start or make, up to maxDepth calls away. Calls into other
// packages are not followed: their go statements are theirs to check. Handlers in _test.go
// files are not roots: a test server's goroutine crashing the test binary is
// not an outage. (Nothing outside a test file can call into one, so no go
// statement of a test file is reached from another root.)
func (c *checker) reach() []*ssa.Function {
	c.links = map[*ssa.Function]link{}
	var queue []*ssa.Function
	for _, fn := range c.Funcs {
		if fn.Blocks != nil && apis.IsHandlerSignature(fn.Signature) && !isTestFile(c.Pass.Fset, fn.Pos()) {
			c.links[fn] = link{kind: root}
			queue = append(queue, fn)
		}
	}
	enqueue := func(fn *ssa.Function, l link) {
		if old, seen := c.links[fn]; seen && old.depth <= l.depth || l.depth > maxDepth || fn.Blocks == nil || fn.Pkg != c.SSA {
			return
		}
		c.links[fn] = l
		queue = append(queue, fn) // again if a shorter chain was found
	}
	for i := 0; i < len(queue); i++ {
		fn := queue[i]
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				var cc *ssa.CallCommon
				kind := called
				switch in := in.(type) {
				case *ssa.Go:
					cc, kind = &in.Call, started
				case *ssa.Call:
					cc = &in.Call
				case *ssa.Defer:
					cc = &in.Call
				default:
					continue
				}
				if cl, ok := c.calleeOf(cc); ok && cl.local {
					depth := c.links[fn].depth
					if cl.fn.Parent() == nil {
						depth++ // a literal is its maker's own code
					}
					enqueue(cl.fn, link{kind: kind, from: fn, pos: in.Pos(), depth: depth})
				}
			}
		}
		for _, anon := range fn.AnonFuncs {
			enqueue(anon, link{kind: literal, from: fn, pos: anon.Pos(), depth: c.links[fn].depth})
		}
	}
	var reached []*ssa.Function
	seen := map[*ssa.Function]bool{}
	for _, fn := range queue {
		if !seen[fn] {
			seen[fn] = true
			reached = append(reached, fn)
		}
	}
	return reached
}

// checkGoStmts reports the go statements of the reached functions whose
// goroutine has no deferred recover, and returns the positions reported.
func (c *checker) checkGoStmts(reached []*ssa.Function) map[token.Pos]bool {
	seen := map[token.Pos]bool{}
	reported := map[token.Pos]bool{}
	for _, fn := range reached {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if g, ok := in.(*ssa.Go); ok && !seen[g.Pos()] {
					seen[g.Pos()] = true
					if c.checkGo(fn, g) {
						reported[g.Pos()] = true
					}
				}
			}
		}
	}
	return reported
}

// checkGo reports g unless its goroutine is protected or cannot panic, and
// says whether it reported. The goroutine's function is judged by the same
// callStdOnly a call of it inside a function literal is: go io.Copy(dst,
// src) and go func() { io.Copy(dst, src) }() get one answer.
func (c *checker) checkGo(fn *ssa.Function, g *ssa.Go) bool {
	cl, ok := c.calleeOf(&g.Call)
	if !ok || cl.iface {
		return false // a function value, an interface method, a builtin: unknown
	}
	if cl.obj != nil && wrapperFuncs.Matches(cl.obj) {
		return false
	}
	switch {
	case cl.local:
		// callStdOnly's judgement of a call of the package's function,
		// its body walked even in the standard library (where a call of
		// the package's own function in a literal counts as the standard
		// library's: go service.call(...) in net/rpc runs reflect's Call).
		if c.protectionOf(cl.fn).state != no || c.stdOnlyFunc(cl.fn, 1) && c.funcArgsStdOnly(&g.Call, &cl, 0) {
			return false
		}
	case cl.obj == nil || cl.obj.Pkg() == c.Pass.Pkg:
		return false // the package's own function without a body: unknown
	case c.isStd(cl.obj):
		if c.callStdOnly(&g.Call, 0) {
			return false // the standard library does not panic on correct use
		}
	default:
		if f := c.fact(cl.obj); f != nil && (f.Protected || f.RunsUnderRecover != 0) {
			return false
		}
	}
	c.report(fn, g, cl)
	return true
}

const consequence = "net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server"

func (c *checker) report(fn *ssa.Function, g *ssa.Go, cl callee) {
	chain := c.describe(fn)
	fix := "defer a recover at the top of the goroutine or start it through a recovering wrapper"
	switch {
	case cl.local && cl.fn.Parent() == nil && cl.obj != nil:
		fix = "defer a recover at the top of " + c.name(cl.fn).String() + " or start it through a recovering wrapper"
	case !cl.local:
		fix = "start it in a function literal that defers a recover, or through a recovering wrapper"
	}
	// The message is "goroutine started in <chain> has no deferred recover:
	// ...", the chain's links separated by commas and, when there are
	// several, followed by one. Each link, and the explanation of a
	// recover that cannot work, is the clause that names its positions.
	no := "has no deferred recover"
	var why, whyClause report.Msg
	mfix := ""
	if cl.local {
		why, whyClause, mfix = c.mistake(cl.fn)
		if mfix != "" {
			no = "has no working recover"
		}
	}
	first := report.Msgf("goroutine started in %s", chain[0])
	where := report.Msgf("%s", chain[0])
	if len(chain) == 1 {
		first = report.Msgf("goroutine started in %s %s", chain[0], no)
	} else {
		for _, link := range chain[1:] {
			where = report.Msgf("%s, %s", where, link)
		}
		where = report.Msgf("%s,", where)
	}
	opts := []report.Option{report.RelatedClause(first)}
	for _, link := range chain[1:] {
		opts = append(opts, report.RelatedClause(link))
	}
	var msg report.Msg
	if mfix != "" {
		msg = report.Msgf("goroutine started in %s %s: %s, and %s; %s", where, no, why, consequence, mfix)
		opts = append(opts, report.RelatedClause(whyClause))
	} else {
		msg = report.Msgf("goroutine started in %s %s: %s; %s", where, no, consequence, fix)
	}
	span := report.Span{Start: g.Pos()}
	if stmt := c.goStmt(g.Pos()); stmt != nil {
		span = report.Span{Start: stmt.Pos(), Stop: stmt.End()}
	}
	opts = append(opts, report.Path(c.path(fn, g)...))
	c.Report.Report(span, msg, opts...)
}

// path is how an HTTP handler reaches the go statement g of fn: the
// handler, each call or go statement on the way, and g itself.
func (c *checker) path(fn *ssa.Function, g *ssa.Go) []report.Step {
	return c.pathTo(fn, report.Step{Pos: g.Pos(), Message: "the goroutine starts here, without a deferred recover"})
}

// pathTo is how an HTTP handler reaches last, a step in fn.
func (c *checker) pathTo(fn *ssa.Function, last report.Step) []report.Step {
	steps := []report.Step{last}
	cur := visible(fn)
	for range 1000 {
		l := c.links[cur]
		if l.kind == root || l.from == nil {
			break
		}
		from := visible(l.from)
		switch l.kind {
		case called:
			steps = append(steps, report.Step{Pos: l.pos, Message: c.label(from).String() + " calls " + c.label(cur).String()})
		case started:
			steps = append(steps, report.Step{Pos: l.pos, Message: c.label(from).String() + " starts " + c.label(cur).String() + " in a goroutine"})
		}
		cur = from
	}
	steps = append(steps, report.Step{Pos: cur.Pos(), Message: c.label(cur).String() + " serves a request"})
	slices.Reverse(steps)
	return steps
}

// mistake explains a recover that cannot work in the goroutine function fn:
// defer recover(), or a deferred function that leaves the recover to a
// function it calls, where recover returns nil. why is the explanation,
// clause the part of it that names the defer; fix is "" when the recover
// is not one of these mistakes.
func (c *checker) mistake(fn *ssa.Function) (why, clause report.Msg, fix string) {
	for _, body := range yieldBodies(fn) {
		for _, b := range body.Blocks {
			for _, in := range b.Instrs {
				d, ok := in.(*ssa.Defer)
				if !ok {
					continue
				}
				if isRecoverBuiltin(d.Call.Value) {
					clause := report.Msgf("defer recover() %s makes recover the deferred function itself", c.Src.At(d.Pos()))
					return report.Msgf("%s, too early to see the panic", clause), clause,
						"defer a function that calls recover: defer func() { if r := recover(); r != nil { ... } }()"
				}
				cl, ok := c.calleeOf(&d.Call)
				if !ok || !cl.local || c.recovers[cl.fn] {
					continue
				}
				for _, db := range cl.fn.Blocks {
					for _, din := range db.Instrs {
						call, ok := din.(*ssa.Call)
						if !ok {
							continue
						}
						h, ok := c.calleeOf(&call.Call)
						if !ok || !c.calleeRecovers(h) {
							continue
						}
						deferred := "deferred function literal"
						if cl.fn.Parent() == nil {
							deferred = "deferred " + c.name(cl.fn).String()
						}
						hname := c.name(h.fn).String()
						if h.fn == nil || h.fn.Parent() != nil || h.obj != nil && h.obj.Pkg() != c.Pass.Pkg {
							hname = c.Src.ObjName(h.obj)
						}
						clause := report.Msgf("the %s %s calls recover only inside %s", deferred, c.Src.At(d.Pos()), hname)
						return report.Msgf("%s, where it returns nil (recover stops a panic only when the deferred function calls it directly)", clause), clause,
							"defer " + hname + "() itself, or call recover() in the deferred function"
					}
				}
			}
		}
	}
	return report.Msg{}, report.Msg{}, ""
}

// visible returns the function a message names for fn: a range-over-func
// loop body is part of the function the loop is in.
func visible(fn *ssa.Function) *ssa.Function { return cfgpath.EnclosingFunc(fn) }

// describe names fn and how an HTTP handler reaches it, a link of the
// chain each: "notify", "called from save at store.go:30", "called from
// HTTP handler handleUpload at upload.go:42".
func (c *checker) describe(fn *ssa.Function) []report.Msg {
	fn = visible(fn)
	chain := []report.Msg{c.label(fn)}
	for depth := 0; ; depth++ {
		l := c.links[fn]
		if l.kind == root || l.from == nil {
			break
		}
		from := visible(l.from)
		if depth == 4 {
			chain = append(chain, report.Msgf("..."), report.Msgf("reached from %s", c.label(c.rootOf(from))))
			break
		}
		switch {
		case l.kind == called:
			chain = append(chain, report.Msgf("called from %s %s", c.label(from), c.Src.At(l.pos)))
		case l.kind == started && fn.Parent() == nil:
			chain = append(chain, report.Msgf("started as a goroutine in %s %s", c.label(from), c.Src.At(l.pos)))
		case l.kind == started:
			chain = append(chain, report.Msgf("started in %s", c.label(from)))
		default:
			// A literal is part of the function it is made in: the
			// same link.
			last := len(chain) - 1
			chain[last] = report.Msgf("%s in %s", chain[last], c.label(from))
		}
		fn = from
	}
	return chain
}

// label names fn the way a chain shows it.
func (c *checker) label(fn *ssa.Function) report.Msg {
	l := c.links[fn]
	switch {
	case l.kind == root && fn.Parent() == nil:
		return report.Msgf("HTTP handler %s", c.name(fn))
	case l.kind == root:
		return report.Msgf("the HTTP handler literal %s", c.Src.At(fn.Pos()))
	case l.kind == started && fn.Parent() != nil:
		return report.Msgf("the goroutine %s", c.Src.At(l.pos))
	}
	return c.name(fn).Msg()
}

func (c *checker) rootOf(fn *ssa.Function) *ssa.Function {
	for range 1000 {
		fn = visible(fn)
		l := c.links[fn]
		if l.kind == root || l.from == nil {
			break
		}
		fn = l.from
	}
	return fn
}

// name names a function of the package for messages.
func (c *checker) name(fn *ssa.Function) report.FuncName {
	if fn == nil {
		return report.FuncName{Decl: "a function"}
	}
	return c.Src.FuncName(visible(fn))
}
