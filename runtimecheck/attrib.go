package runtimecheck

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// frameEnv says which frames are the Go distribution's and which are
// runtimecheck's; attribution skips both.
type frameEnv struct {
	goroot string // with no trailing slash; "" when unknown (-trimpath)
	self   string // runtimecheck's import path
	wd     string // working directory, for Origin.Pos
}

var defaultEnv = sync.OnceValue(func() frameEnv {
	wd, _ := os.Getwd()
	return frameEnv{goroot: binaryGOROOT(), self: reflect.TypeFor[Leak]().PkgPath(), wd: wd}
})

// binaryGOROOT is the GOROOT this binary's standard library was compiled
// from, as its own frames name it: the file of a runtime function, less
// /src/runtime/FILE.
func binaryGOROOT() string {
	pc := reflect.ValueOf(runtime.GC).Pointer()
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return ""
	}
	file, _ := fn.FileLine(pc)
	if i := strings.LastIndex(file, "/src/runtime/"); i > 0 {
		return file[:i]
	}
	return ""
}

func (e frameEnv) isStd(f runtime.Frame) bool {
	if f.File == "" {
		return true // no file, no line: nothing to point at
	}
	if e.goroot != "" && strings.HasPrefix(f.File, e.goroot+"/src/") {
		// The tests of a standard-library package (run in its
		// directory) are its users: their files are where its leaks
		// are made.
		return !(e.wd != "" && strings.HasSuffix(f.File, "_test.go") && filepath.Dir(f.File) == e.wd)
	}
	if !filepath.IsAbs(f.File) {
		// -trimpath: the standard library's files are "os/exec/exec.go",
		// and its import paths have no dot in their first element.
		first, _, _ := strings.Cut(funcPackage(f.Function), "/")
		return !strings.Contains(first, ".")
	}
	return false
}

func (e frameEnv) isSelf(f runtime.Frame) bool {
	return funcPackage(f.Function) == e.self
}

// originFromPCs attributes a stack recorded by the overlay.
func originFromPCs(pcs []uintptr) *Origin {
	if len(pcs) == 0 {
		return nil
	}
	return attribute(framesOf(pcs), defaultEnv())
}

func framesOf(pcs []uintptr) []runtime.Frame {
	var frames []runtime.Frame
	it := runtime.CallersFrames(pcs)
	for {
		f, more := it.Next()
		frames = append(frames, f)
		if !more {
			return frames
		}
	}
}

// maxStack bounds the frames an Origin keeps.
const maxStack = 64

// attribute finds, in frames (innermost first), the first frame in user
// code, the standard library function it called, and the Test function
// the stack runs in. It returns nil when no frame is user code.
func attribute(frames []runtime.Frame, env frameEnv) *Origin {
	user := -1
	for i, f := range frames {
		if !env.isStd(f) && !env.isSelf(f) {
			user = i
			break
		}
	}
	if user < 0 {
		return nil
	}
	u := frames[user]
	o := &Origin{File: u.File, Line: u.Line, Pos: shortPos(env.wd, u.File, u.Line)}
	if user > 0 && env.isStd(frames[user-1]) && frames[user-1].Function != "" {
		o.API = apiName(frames[user-1].Function)
	}
	o.Test, o.Pkg = testFrame(frames, env)
	if o.Pkg == "" {
		o.Pkg = testedPackage(funcPackage(u.Function))
	}
	for _, f := range frames {
		if len(o.Stack) == maxStack {
			break
		}
		if f.Function == "runtime.goexit" || isRecorder(f.Function) {
			continue
		}
		o.Stack = append(o.Stack, f.Function+" "+f.File+":"+strconv.Itoa(f.Line))
	}
	return o
}

// isRecorder reports the overlay's recording functions (os.LifeguardTrace*,
// io.LifeguardTrace*), which the contract says are skipped but which cost
// nothing to drop again.
func isRecorder(fn string) bool {
	_, rest := splitFunc(fn)
	return strings.HasPrefix(rest, "LifeguardTrace") || strings.HasPrefix(rest, "lifeguardTrace")
}

// testFrame returns the top-level Test, Benchmark, Example or Fuzz function
// in frames and its package: the function testing's runner called, or else
// (a goroutine the test started) the outermost such function of a _test.go
// file.
func testFrame(frames []runtime.Frame, env frameEnv) (name, pkg string) {
	for i := 0; i+1 < len(frames); i++ {
		caller := frames[i+1].Function
		if env.isStd(frames[i+1]) && strings.HasPrefix(caller, "testing.") && !env.isStd(frames[i]) {
			if n := topLevel(frames[i].Function); isTestName(n) {
				return n, testedPackage(funcPackage(frames[i].Function))
			}
		}
	}
	for i := len(frames) - 1; i >= 0; i-- {
		f := frames[i]
		if env.isStd(f) || !strings.HasSuffix(f.File, "_test.go") {
			continue
		}
		if n := topLevel(f.Function); isTestName(n) {
			return n, testedPackage(funcPackage(f.Function))
		}
	}
	return "", ""
}

// isTestName reports the names go test runs: Test, TestX, Test_x... (not
// Testify), and the same for Benchmark, Example and Fuzz.
func isTestName(n string) bool {
	for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return rest == "" || !(rest[0] >= 'a' && rest[0] <= 'z')
		}
	}
	return false
}

// splitFunc splits a runtime function name, "example.com/x/y.(*T).M.func1",
// into its package path and the rest.
func splitFunc(fn string) (pkg, rest string) {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return "", fn
	}
	return fn[:slash+1+dot], fn[slash+1+dot+1:]
}

func funcPackage(fn string) string {
	p, _ := splitFunc(fn)
	return p
}

// topLevel is the package-level function or method a function name belongs
// to, without receiver or closures: "TestRun" for "x.TestRun.func1.2".
func topLevel(fn string) string {
	_, rest := splitFunc(fn)
	if strings.HasPrefix(rest, "(") {
		return "" // a method is never a test
	}
	n, _, _ := strings.Cut(rest, ".")
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	return n
}

// testedPackage drops the _test of an external test package.
func testedPackage(pkg string) string {
	return strings.TrimSuffix(pkg, "_test")
}

// apiName names a standard library function the way people write it:
// "os/exec.(*Cmd).StdoutPipe" is "(*exec.Cmd).StdoutPipe", "net.Listen"
// stays.
func apiName(fn string) string {
	pkg, rest := splitFunc(fn)
	if pkg == "" {
		return fn
	}
	name := pkg[strings.LastIndexByte(pkg, '/')+1:]
	switch {
	case strings.HasPrefix(rest, "(*"):
		return "(*" + name + "." + rest[2:]
	case strings.HasPrefix(rest, "("):
		return "(" + name + "." + rest[1:]
	}
	return name + "." + rest
}

// traceKindAgrees reports whether the kind the overlay recorded for a
// descriptor fits what /proc says it is now. A record that does not fit is
// stale (the descriptor was closed behind the os package's back and its
// number reused) and is not used.
func traceKindAgrees(recorded string, now Kind) bool {
	if recorded == "socket" || now == KindSocket {
		return recorded == "socket" && now == KindSocket
	}
	return true
}

// pcsKey is a stack's identity, for io.Pipes, which have no other.
func pcsKey(pcs []uintptr) string {
	var b strings.Builder
	for _, pc := range pcs {
		b.WriteString(strconv.FormatUint(uint64(pc), 16))
		b.WriteByte(' ')
	}
	return b.String()
}
