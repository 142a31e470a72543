package cfgpath

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A Graph answers path questions about the functions of one package. It
// knows which calls never return: the standard library's exits and fatal
// loggers, any method named Fatal* (every logging library exits there), and
// the package's own functions that cannot reach a return.
type Graph struct {
	noReturn map[*ssa.Function]bool
}

// NewGraph computes which of funcs never return.
func NewGraph(funcs []*ssa.Function) *Graph {
	g := &Graph{noReturn: map[*ssa.Function]bool{}}
	// Iterate to a fixed point: f calls g calls os.Exit.
	for changed := true; changed; {
		changed = false
		for _, fn := range funcs {
			if fn.Blocks == nil || g.noReturn[fn] {
				continue
			}
			s := Search{}
			if s.fromEntry(g, fn) == nil {
				g.noReturn[fn] = true
				changed = true
			}
		}
	}
	return g
}

// fromEntry returns a return reachable from fn's entry, or nil.
func (s *Search) fromEntry(g *Graph, fn *ssa.Function) ssa.Instruction {
	entry := fn.Blocks[0]
	if len(entry.Instrs) == 0 {
		return nil
	}
	return g.searchFrom(s, entry, 0)
}

// NeverReturns reports whether the call cannot return normally.
func (g *Graph) NeverReturns(c *ssa.CallCommon) bool {
	if c.IsInvoke() {
		return fatalName(c.Method.Name()) || testingExit(c.Method)
	}
	callee, _ := c.Value.(*ssa.Function)
	if callee == nil {
		return false
	}
	if g != nil && g.noReturn[callee] {
		return true
	}
	obj, _ := callee.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	if fatalName(obj.Name()) {
		return true
	}
	if testingExit(obj) {
		return true
	}
	switch obj.Pkg().Path() + "." + obj.Name() {
	case "os.Exit", "syscall.Exit", "runtime.Goexit",
		"log.Panic", "log.Panicf", "log.Panicln":
		return true
	}
	return false
}

// fatalName: log.Fatal, (*log.Logger).Fatalf, klog.Fatalf, logrus.Fatal,
// (*zap.Logger).Fatal, ... all exit the process.
func fatalName(name string) bool {
	switch name {
	case "Fatal", "Fatalf", "Fatalln", "Fatalw":
		return true
	}
	return false
}

// testingExit: t.FailNow, t.Skip, t.SkipNow, t.Skipf end the test
// goroutine (runtime.Goexit), on *testing.T, *testing.B, *testing.F or
// testing.TB.
func testingExit(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
		return false
	}
	switch fn.Name() {
	case "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}
