package runtimecheck

import (
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var synthEnv = frameEnv{goroot: "/usr/local/go", self: "github.com/lifeguard-go/lifeguard/runtimecheck", wd: "/m/x"}

func frame(fn, file string, line int) runtime.Frame {
	return runtime.Frame{Function: fn, File: file, Line: line}
}

// The stacks the overlay records, innermost first, as runtime.Callers
// gives them (the recording function itself included, in case it is).
var (
	stdoutPipeStack = []runtime.Frame{
		frame("os.LifeguardTraceRecord", "/usr/local/go/src/os/zz_lifeguard_trace.go", 20),
		frame("os.newFile", "/usr/local/go/src/os/file_unix.go", 210),
		frame("os.Pipe", "/usr/local/go/src/os/pipe2_unix.go", 21),
		frame("os/exec.(*Cmd).StdoutPipe", "/usr/local/go/src/os/exec/exec.go", 1005),
		frame("example.com/x.(*Runner).run", "/m/x/runner.go", 41),
		frame("example.com/x.TestRun", "/m/x/runner_test.go", 12),
		frame("testing.tRunner", "/usr/local/go/src/testing/testing.go", 1934),
		frame("runtime.goexit", "/usr/local/go/src/runtime/asm_amd64.s", 1700),
	}
	subtestStartStack = []runtime.Frame{
		frame("os.startProcess", "/usr/local/go/src/os/exec_posix.go", 70),
		frame("os.StartProcess", "/usr/local/go/src/os/exec.go", 350),
		frame("os/exec.(*Cmd).Start", "/usr/local/go/src/os/exec/exec.go", 700),
		frame("example.com/x/internal/run.Start", "/m/x/internal/run/run.go", 44),
		frame("example.com/x_test.TestRun.func1", "/m/x/runner_test.go", 30),
		frame("testing.tRunner", "/usr/local/go/src/testing/testing.go", 1934),
	}
	goroutineListenStack = []runtime.Frame{
		frame("net.(*netFD).init", "/usr/local/go/src/net/fd_unix.go", 40),
		frame("net.(*ListenConfig).Listen", "/usr/local/go/src/net/dial.go", 800),
		frame("net.Listen", "/usr/local/go/src/net/dial.go", 880),
		frame("example.com/x.serve", "/m/x/server.go", 17),
		frame("example.com/x.TestServe.func2", "/m/x/server_test.go", 25),
		frame("runtime.goexit", "/usr/local/go/src/runtime/asm_amd64.s", 1700),
	}
	initStack = []runtime.Frame{
		frame("os.newFile", "/usr/local/go/src/os/file_unix.go", 210),
		frame("os.OpenFile", "/usr/local/go/src/os/file.go", 400),
		frame("os.Open", "/usr/local/go/src/os/file.go", 380),
		frame("example.com/x.init.0", "/m/x/log.go", 9),
		frame("runtime.doInit1", "/usr/local/go/src/runtime/proc.go", 7000),
	}
)

func TestAttribute(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frames []runtime.Frame
		want   Origin
	}{
		{
			name:   "pipe of StdoutPipe in a test",
			frames: stdoutPipeStack,
			want: Origin{File: "/m/x/runner.go", Line: 41, Pos: "runner.go:41", API: "(*exec.Cmd).StdoutPipe", Test: "TestRun", Pkg: "example.com/x",
				Stack: []string{
					"os.newFile /usr/local/go/src/os/file_unix.go:210",
					"os.Pipe /usr/local/go/src/os/pipe2_unix.go:21",
					"os/exec.(*Cmd).StdoutPipe /usr/local/go/src/os/exec/exec.go:1005",
					"example.com/x.(*Runner).run /m/x/runner.go:41",
					"example.com/x.TestRun /m/x/runner_test.go:12",
					"testing.tRunner /usr/local/go/src/testing/testing.go:1934",
				}},
		},
		{
			name:   "process started in a subtest of an external test package",
			frames: subtestStartStack,
			want:   Origin{File: "/m/x/internal/run/run.go", Line: 44, Pos: "internal/run/run.go:44", API: "(*exec.Cmd).Start", Test: "TestRun", Pkg: "example.com/x"},
		},
		{
			name:   "listener made in a goroutine the test started",
			frames: goroutineListenStack,
			want:   Origin{File: "/m/x/server.go", Line: 17, Pos: "server.go:17", API: "net.Listen", Test: "TestServe", Pkg: "example.com/x"},
		},
		{
			name:   "file opened by a package's init: no test",
			frames: initStack,
			want:   Origin{File: "/m/x/log.go", Line: 9, Pos: "log.go:9", API: "os.Open", Pkg: "example.com/x"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := attribute(tc.frames, synthEnv)
			if got == nil {
				t.Fatal("no origin")
			}
			if tc.want.Stack == nil {
				got.Stack = nil
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("origin:\n got %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestAttributeSkips(t *testing.T) {
	// runtimecheck's own frames are not user code.
	frames := []runtime.Frame{
		frame("os.Open", "/usr/local/go/src/os/file.go", 380),
		frame("github.com/lifeguard-go/lifeguard/runtimecheck.readThing", "/m/lifeguard/runtimecheck/x.go", 3),
		frame("example.com/x.TestA", "/m/x/a_test.go", 5),
		frame("testing.tRunner", "/usr/local/go/src/testing/testing.go", 1934),
	}
	o := attribute(frames, synthEnv)
	if o == nil || o.File != "/m/x/a_test.go" || o.API != "" || o.Test != "TestA" {
		t.Errorf("origin %+v, want a_test.go:5 with no API (runtimecheck called os.Open), in TestA", o)
	}
	// Nothing but the standard library: no origin.
	if o := attribute(initStack[:3], synthEnv); o != nil {
		t.Errorf("origin %+v for a stack of std frames only", o)
	}
	if o := attribute(nil, synthEnv); o != nil {
		t.Errorf("origin %+v for no frames", o)
	}
}

func TestAttributeTrimpath(t *testing.T) {
	// Built with -trimpath: std files are relative, module files are
	// module-path relative, GOROOT unknown.
	env := frameEnv{self: synthEnv.self}
	frames := []runtime.Frame{
		frame("os.Pipe", "os/pipe2_unix.go", 21),
		frame("example.com/x.run", "example.com/x/runner.go", 41),
		frame("example.com/x.TestRun", "example.com/x/runner_test.go", 12),
		frame("testing.tRunner", "testing/testing.go", 1934),
	}
	o := attribute(frames, env)
	if o == nil || o.File != "example.com/x/runner.go" || o.Line != 41 || o.API != "os.Pipe" || o.Test != "TestRun" {
		t.Errorf("origin %+v, want example.com/x/runner.go:41 by os.Pipe in TestRun", o)
	}
}

// TestAttributeRealFrames attributes a real stack: runtime.Callers inside
// a function the standard library calls back, with the callback's own
// frames skipped, looks like a stack recorded inside sort.Slice. This
// package's frames stand for user code here.
func TestAttributeRealFrames(t *testing.T) {
	var pcs []uintptr
	xs := []int{3, 1, 2}
	_, file, line, _ := runtime.Caller(0)
	sort.Slice(xs, func(i, j int) bool { // line+1
		if pcs == nil {
			pc := make([]uintptr, 64)
			pcs = pc[:runtime.Callers(2, pc)] // skip Callers and this func
		}
		return xs[i] < xs[j]
	})
	env := frameEnv{goroot: binaryGOROOT(), self: "not/this/package", wd: filepath.Dir(file)}
	o := attribute(framesOf(pcs), env)
	want := Origin{File: file, Line: line + 1, Pos: "attrib_test.go:" + strconv.Itoa(line+1), API: "sort.Slice",
		Test: "TestAttributeRealFrames", Pkg: "github.com/lifeguard-go/lifeguard/runtimecheck"}
	if o == nil {
		t.Fatal("no origin")
	}
	if !strings.HasPrefix(o.Stack[0], "sort.") {
		t.Errorf("stack starts %q, want the sort package's frames", o.Stack[0])
	}
	o.Stack = nil
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("origin:\n got %+v\nwant %+v", *o, want)
	}
	// With the real environment this package's frames are runtimecheck's
	// own, skipped like the standard library's: nothing is left.
	if o := originFromPCs(pcs); o != nil {
		t.Errorf("originFromPCs = %+v, want none: every frame is std or runtimecheck", o)
	}
}

func TestBinaryGOROOT(t *testing.T) {
	g := binaryGOROOT()
	if g == "" {
		t.Skip("built with -trimpath")
	}
	out, err := exec.Command(goCommand(), "env", "GOROOT").Output()
	if err != nil {
		t.Skip("no go command")
	}
	if want := strings.TrimSpace(string(out)); g != want {
		t.Errorf("binaryGOROOT() = %q, go env GOROOT = %q", g, want)
	}
}

func TestAPIName(t *testing.T) {
	for fn, want := range map[string]string{
		"os/exec.(*Cmd).StdoutPipe":  "(*exec.Cmd).StdoutPipe",
		"os.Pipe":                    "os.Pipe",
		"net.Listen":                 "net.Listen",
		"net.(*ListenConfig).Listen": "(*net.ListenConfig).Listen",
		"os/exec.Cmd.String":         "exec.Cmd.String",
		"io.Pipe":                    "io.Pipe",
		"net/http.(*Server).Serve":   "(*http.Server).Serve",
		"os/exec.(*Cmd).Start.func1": "(*exec.Cmd).Start.func1",
		"weird":                      "weird",
	} {
		if got := apiName(fn); got != want {
			t.Errorf("apiName(%q) = %q, want %q", fn, got, want)
		}
	}
}

func TestTestNames(t *testing.T) {
	for fn, want := range map[string]string{
		"example.com/x.TestRun":          "TestRun",
		"example.com/x.TestRun.func1.2":  "TestRun",
		"example.com/x.Test":             "Test",
		"example.com/x.Test_run":         "Test_run",
		"example.com/x.Testify":          "",
		"example.com/x.BenchmarkRun":     "BenchmarkRun",
		"example.com/x.ExampleRun":       "ExampleRun",
		"example.com/x.FuzzRun.func1":    "FuzzRun",
		"example.com/x.(*T).TestRun":     "",
		"example.com/x.TestGeneric[...]": "TestGeneric",
		"example.com/x.helper":           "",
	} {
		got := topLevel(fn)
		if !isTestName(got) {
			got = ""
		}
		if got != want {
			t.Errorf("test name of %q = %q, want %q", fn, got, want)
		}
	}
	if p := funcPackage("example.com/a/b.(*T).M.func1"); p != "example.com/a/b" {
		t.Errorf("funcPackage = %q", p)
	}
	if p := testedPackage(funcPackage("example.com/a/b_test.TestX")); p != "example.com/a/b" {
		t.Errorf("testedPackage = %q", p)
	}
}

func TestTraceKindAgrees(t *testing.T) {
	for _, tc := range []struct {
		recorded string
		now      Kind
		want     bool
	}{
		{"pipe", KindPipe, true},
		{"file", KindPipe, true}, // os.NewFile on a pipe
		{"socket", KindSocket, true},
		{"socket", KindFile, false},
		{"file", KindSocket, false},
		{"", KindAnonInode, true},
	} {
		if got := traceKindAgrees(tc.recorded, tc.now); got != tc.want {
			t.Errorf("traceKindAgrees(%q, %s) = %v", tc.recorded, tc.now, got)
		}
	}
}

func TestPCsKey(t *testing.T) {
	a, b := []uintptr{1, 2, 3}, []uintptr{1, 2, 4}
	if pcsKey(a) != pcsKey([]uintptr{1, 2, 3}) || pcsKey(a) == pcsKey(b) || pcsKey([]uintptr{0x12}) == pcsKey([]uintptr{1, 2}) {
		t.Errorf("pcsKey: %q %q", pcsKey(a), pcsKey(b))
	}
}

// A standard-library package's own tests (run in its directory) are its
// users: the site is the test's line, not the first frame outside GOROOT
// (there is none). Its non-test files and other packages stay std.
func TestAttributeStdPackageTests(t *testing.T) {
	env := frameEnv{goroot: "/usr/local/go", self: synthEnv.self, wd: "/usr/local/go/src/syscall"}
	frames := []runtime.Frame{
		frame("os.startProcess", "/usr/local/go/src/os/exec_posix.go", 70),
		frame("os.StartProcess", "/usr/local/go/src/os/exec.go", 350),
		frame("syscall.helper", "/usr/local/go/src/syscall/exec_linux.go", 12),
		frame("syscall_test.TestExecPtrace", "/usr/local/go/src/syscall/syscall_ptrace_test.go", 30),
		frame("testing.tRunner", "/usr/local/go/src/testing/testing.go", 1934),
	}
	o := attribute(frames, env)
	if o == nil || o.File != "/usr/local/go/src/syscall/syscall_ptrace_test.go" || o.Line != 30 || o.Test != "TestExecPtrace" {
		t.Errorf("origin %+v, want syscall_ptrace_test.go:30 in TestExecPtrace", o)
	}
	env.wd = "/usr/local/go/src/net"
	if o := attribute(frames, env); o != nil {
		t.Errorf("origin %+v for another std package's test run elsewhere", o)
	}
}
