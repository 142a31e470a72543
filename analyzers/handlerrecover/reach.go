package handlerrecover

import (
	"fmt"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
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
	for _, fn := range c.funcs {
		if fn.Blocks != nil && apis.IsHandlerSignature(fn.Signature) && !isTestFile(c.pass.Fset, fn.Pos()) {
			c.links[fn] = link{kind: root}
			queue = append(queue, fn)
		}
	}
	enqueue := func(fn *ssa.Function, l link) {
		if old, seen := c.links[fn]; seen && old.depth <= l.depth || l.depth > maxDepth || fn.Blocks == nil || fn.Pkg != c.pkg {
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
// goroutine has no deferred recover.
func (c *checker) checkGoStmts(reached []*ssa.Function) {
	seen := map[token.Pos]bool{}
	for _, fn := range reached {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if g, ok := in.(*ssa.Go); ok && !seen[g.Pos()] {
					seen[g.Pos()] = true
					c.checkGo(fn, g)
				}
			}
		}
	}
}

func (c *checker) checkGo(fn *ssa.Function, g *ssa.Go) {
	cl, ok := c.calleeOf(&g.Call)
	if !ok || cl.iface {
		return // a function value, an interface method, a builtin: unknown
	}
	if cl.obj != nil && wrapperFuncs.Matches(cl.obj) {
		return
	}
	switch {
	case cl.local:
		if c.protectionOf(cl.fn).state != no || c.stdOnly(cl.fn, 0) && c.funcArgsStdOnly(&g.Call, 0) {
			return
		}
	case cl.obj == nil || cl.obj.Pkg() == c.pass.Pkg:
		return // the package's own function without a body: unknown
	case c.isStd(cl.obj):
		return // the standard library does not panic on correct use
	default:
		if f := c.fact(cl.obj); f != nil && (f.Protected || f.RunsUnderRecover != 0) {
			return
		}
	}
	c.report(fn, g, cl)
}

const consequence = "net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server"

func (c *checker) report(fn *ssa.Function, g *ssa.Go, cl callee) {
	where := c.describe(fn)
	if strings.Contains(where, ",") {
		where += ","
	}
	fix := "defer a recover at the top of the goroutine or start it through a recovering wrapper"
	switch {
	case cl.local && cl.fn.Parent() == nil && cl.obj != nil:
		fix = "defer a recover at the top of " + c.name(cl.fn) + " or start it through a recovering wrapper"
	case !cl.local:
		fix = "start it in a function literal that defers a recover, or through a recovering wrapper"
	}
	var msg string
	if cl.local {
		if why, mfix := c.mistake(cl.fn); why != "" {
			msg = fmt.Sprintf("goroutine started in %s has no working recover: %s, and %s; %s", where, why, consequence, mfix)
		}
	}
	if msg == "" {
		msg = fmt.Sprintf("goroutine started in %s has no deferred recover: %s; %s", where, consequence, fix)
	}
	pos, end := g.Pos(), token.NoPos
	if stmt := c.goStmt(g.Pos()); stmt != nil {
		pos, end = stmt.Pos(), stmt.End()
	}
	d := analysis.Diagnostic{Pos: pos, End: end, Message: msg}
	c.src.Attach(&d)
	c.rep.Report(d)
}

// mistake explains a recover that cannot work in the goroutine function fn:
// defer recover(), or a deferred function that leaves the recover to a
// function it calls, where recover returns nil.
func (c *checker) mistake(fn *ssa.Function) (why, fix string) {
	for _, body := range yieldBodies(fn) {
		for _, b := range body.Blocks {
			for _, in := range b.Instrs {
				d, ok := in.(*ssa.Defer)
				if !ok {
					continue
				}
				if isRecoverBuiltin(d.Call.Value) {
					return "defer recover() at " + c.src.Where(d.Pos()) + " makes recover the deferred function itself, too early to see the panic",
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
							deferred = "deferred " + c.name(cl.fn)
						}
						hname := c.name(h.fn)
						if h.fn == nil || h.fn.Parent() != nil || h.obj != nil && h.obj.Pkg() != c.pass.Pkg {
							hname = c.src.ObjName(h.obj)
						}
						return fmt.Sprintf("the %s at %s calls recover only inside %s, where it returns nil (recover stops a panic only when the deferred function calls it directly)",
								deferred, c.src.Where(d.Pos()), hname),
							"defer " + hname + "() itself, or call recover() in the deferred function"
					}
				}
			}
		}
	}
	return "", ""
}

// visible returns the function a message names for fn: a range-over-func
// loop body is part of the function the loop is in.
func visible(fn *ssa.Function) *ssa.Function { return cfgpath.EnclosingFunc(fn) }

// describe names fn and how an HTTP handler reaches it: "notify, called
// from save at store.go:30, called from HTTP handler handleUpload at
// upload.go:42".
func (c *checker) describe(fn *ssa.Function) string {
	fn = visible(fn)
	var sb strings.Builder
	sb.WriteString(c.label(fn))
	for depth := 0; ; depth++ {
		l := c.links[fn]
		if l.kind == root || l.from == nil {
			break
		}
		from := visible(l.from)
		if depth == 4 {
			sb.WriteString(", ..., reached from " + c.label(c.rootOf(from)))
			break
		}
		switch {
		case l.kind == called:
			sb.WriteString(", called from " + c.label(from) + " at " + c.src.Where(l.pos))
		case l.kind == started && fn.Parent() == nil:
			sb.WriteString(", started as a goroutine in " + c.label(from) + " at " + c.src.Where(l.pos))
		case l.kind == started:
			sb.WriteString(", started in " + c.label(from))
		default:
			sb.WriteString(" in " + c.label(from))
		}
		fn = from
	}
	return sb.String()
}

// label names fn the way a chain shows it.
func (c *checker) label(fn *ssa.Function) string {
	l := c.links[fn]
	switch {
	case l.kind == root && fn.Parent() == nil:
		return "HTTP handler " + c.name(fn)
	case l.kind == root:
		return "the HTTP handler literal at " + c.src.Where(fn.Pos())
	case l.kind == started && fn.Parent() != nil:
		return "the goroutine at " + c.src.Where(l.pos)
	}
	return c.name(fn)
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
func (c *checker) name(fn *ssa.Function) string {
	if fn == nil {
		return "a function"
	}
	return c.src.FuncName(visible(fn))
}
