package lgtest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeguard-go/lifeguard"
)

// The overlay of "lifeguard test" adds one new file to each of the standard
// library's os, io and net packages (the sources under overlay/, embedded
// here) and inserts one call on each of a few existing lines of their own
// files, found by their text in the installed GOROOT. Inserting on an
// existing line keeps every line number of those files true, so the stacks
// the hooks record, and any panic inside os, still point at real lines;
// the new files' code sits in frames of its own.

//go:embed overlay
var overlaySources embed.FS

// A hookPoint is one line of a GOROOT source file that gets a call.
type hookPoint struct {
	name   string // what the call records, for messages
	file   string // slash-separated, under $GOROOT/src
	fn     string // the line that opens the function, exactly (without indentation)
	line   string // the line edited: the first after fn with this text; fn itself when equal
	before string // inserted before line's text
	after  string // appended to line's text
}

// overlayHooks are the hook points, for the Go versions docs/lifeguard-test.md
// lists. Each is verified in the installed GOROOT before anything runs.
var overlayHooks = []hookPoint{
	{
		name:  "os.newFile (every *os.File: Open, Create, Pipe, NewFile, net's File methods)",
		file:  "os/file_unix.go",
		fn:    "func newFile(fd int, name string, kind newFileKind, nonBlocking bool) *File {",
		line:  "runtime.SetFinalizer(f.file, (*file).close)",
		after: "; lifeguardTraceNewFile(f.file, fd, kind)",
	},
	{
		name:  "(*os.file).close (every close of an *os.File, finalizers included)",
		file:  "os/file_unix.go",
		fn:    "func (file *file) close() error {",
		line:  "var err error",
		after: "; lifeguardTraceCloseFile(file)",
	},
	{
		name:  "os.startProcess (every child started by os.StartProcess and os/exec)",
		file:  "os/exec_posix.go",
		fn:    "func startProcess(name string, argv []string, attr *ProcAttr) (p *Process, err error) {",
		line:  "pid, h, e := syscall.StartProcess(name, argv, sysattr)",
		after: "; if e == nil { lifeguardTraceStarted(pid) }",
	},
	{
		name:  "(*os.Process).wait (a reaped child's record is dropped; its descendants are noted)",
		file:  "os/exec_unix.go",
		fn:    "func (p *Process) wait() (ps *ProcessState, err error) {",
		line:  "func (p *Process) wait() (ps *ProcessState, err error) {",
		after: " lifeguardTraceWaiting(p.Pid); defer lifeguardTraceWaited(&ps)",
	},
	{
		name:  "(*os.Process).signal (a child's descendants are noted before Kill or Signal)",
		file:  "os/exec_unix.go",
		fn:    "func (p *Process) signal(sig Signal) error {",
		line:  "func (p *Process) signal(sig Signal) error {",
		after: " lifeguardTraceSignal(p.Pid)",
	},
	{
		name:   "os.Exit (the automatic check reports)",
		file:   "os/proc.go",
		fn:     "func Exit(code int) {",
		line:   "runtime_beforeExit(code)",
		before: "lifeguardTraceExit(code); ",
	},
	{
		name:  "(*exec.Cmd).Start (the stack that started a command, for its goroutines)",
		file:  "os/exec/exec.go",
		fn:    "func (c *Cmd) Start() error {",
		line:  "started = true",
		after: "; lifeguardTraceCmdStarted(c)",
	},
	{
		name:  "the goroutines of (*exec.Cmd).Start that copy Stdin, Stdout and Stderr",
		file:  "os/exec/exec.go",
		fn:    "func (c *Cmd) Start() error {",
		line:  "go func(fn func() error) {",
		after: " defer lifeguardTraceGoroutine(c)()",
	},
	{
		name:  "(*exec.Cmd).watchCtx (the goroutine watching a command's context)",
		file:  "os/exec/exec.go",
		fn:    "func (c *Cmd) watchCtx(resultc chan<- ctxResult) {",
		line:  "func (c *Cmd) watchCtx(resultc chan<- ctxResult) {",
		after: " defer lifeguardTraceGoroutine(c)()",
	},
	{
		name:  "(*testing.M).Run (the automatic check: m.Run has returned)",
		file:  "testing/testing.go",
		fn:    "func (m *M) Run() (code int) {",
		line:  "func (m *M) Run() (code int) {",
		after: " defer lifeguardAutoRunDone()",
	},
	{
		name:  "(*testing.M).Run (the automatic check's baseline)",
		file:  "testing/testing.go",
		fn:    "func (m *M) Run() (code int) {",
		line:  "m.before()",
		after: "; lifeguardAutoRunStart(m)",
	},
	{
		name:  "testing.tRunner (the automatic check: a test starts)",
		file:  "testing/testing.go",
		fn:    "func tRunner(t *T, fn func(t *T)) {",
		line:  "t.start = highPrecisionTimeNow()",
		after: "; lifeguardAutoTestStart(t)",
	},
	{
		name:   "testing.tRunner (the automatic check: a test and its cleanups are done)",
		file:   "testing/testing.go",
		fn:     "func tRunner(t *T, fn func(t *T)) {",
		line:   "t.report() // Report after all subtests have finished.",
		before: "lifeguardAutoTestEnd(t); ",
	},
	{
		name:   "net.newFD (every socket created, accepted or made from a file)",
		file:   "net/fd_unix.go",
		fn:     "func newFD(sysfd, family, sotype int, net string) (*netFD, error) {",
		line:   "return ret, nil",
		before: "lifeguardTraceNewFD(ret, sysfd); ",
	},
	{
		name:   "(*net.netFD).Close (every close of a socket)",
		file:   "net/fd_posix.go",
		fn:     "func (fd *netFD) Close() error {",
		line:   "return fd.pfd.Close()",
		before: "lifeguardTraceCloseFD(fd); ",
	},
	{
		name:   "io.Pipe (every in-memory pipe)",
		file:   "io/pipe.go",
		fn:     "func Pipe() (*PipeReader, *PipeWriter) {",
		line:   "return &pw.r, pw",
		before: "lifeguardTracePipeCreated(pw); ",
	},
	{
		name:  "(*io.pipe).read (a Read blocked on an io.Pipe)",
		file:  "io/pipe.go",
		fn:    "func (p *pipe) read(b []byte) (n int, err error) {",
		line:  "default:",
		after: " lifeguardTraceReadWait(p); defer lifeguardTraceReadDone(p)",
	},
	{
		name:   "(*io.pipe).closeRead (io.PipeReader.Close)",
		file:   "io/pipe.go",
		fn:     "func (p *pipe) closeRead(err error) error {",
		line:   "p.once.Do(func() { close(p.done) })",
		before: "lifeguardTracePipeClosed(p); ",
	},
	{
		name:   "(*io.pipe).closeWrite (io.PipeWriter.Close)",
		file:   "io/pipe.go",
		fn:     "func (p *pipe) closeWrite(err error) error {",
		line:   "p.once.Do(func() { close(p.done) })",
		before: "lifeguardTracePipeClosed(p); ",
	},
}

// testedGoVersions is what docs/lifeguard-test.md promises; it is only
// named in messages, the hook points themselves decide.
const testedGoVersions = "Go 1.26 (tested with go1.26.8)"

// A goEnv is what lifeguard test needs to know of the go command that will
// build the tests.
type goEnv struct {
	goroot, version, gomodcache, goos string
	goflags                           string
}

// A missingHookError says that the installed GOROOT lacks a hook point.
type missingHookError struct {
	env  goEnv
	hook hookPoint
	why  string
}

func (e *missingHookError) Error() string {
	return fmt.Sprintf("the installed Go (%s, from go env GOVERSION; GOROOT %s) has no hook point for %s: %s in %s. "+
		"lifeguard test supports %s; see docs/lifeguard-test.md",
		e.env.version, e.env.goroot, e.hook.name, e.why, filepath.Join(e.env.goroot, "src", filepath.FromSlash(e.hook.file)), testedGoVersions)
}

// overlayFiles computes the overlay for env's GOROOT: for each file name
// under $GOROOT/src (absolute, in the OS's form), its new content. It fails
// when a hook point is missing.
func overlayFiles(env goEnv) (map[string][]byte, error) {
	srcDir := filepath.Join(env.goroot, "src")
	files := make(map[string][]byte)

	// The edited files.
	byFile := make(map[string][]hookPoint)
	var order []string
	for _, h := range overlayHooks {
		if byFile[h.file] == nil {
			order = append(order, h.file)
		}
		byFile[h.file] = append(byFile[h.file], h)
	}
	for _, file := range order {
		name := filepath.Join(srcDir, filepath.FromSlash(file))
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, &missingHookError{env, byFile[file][0], "cannot read the file (" + err.Error() + ")"}
		}
		lines := strings.Split(string(src), "\n")
		orig := slices.Clone(lines) // hooks are found in the file as it is
		for _, h := range byFile[file] {
			i, why := findHookLine(orig, h)
			if i < 0 {
				return nil, &missingHookError{env, h, why}
			}
			text := lines[i]
			code := strings.TrimLeft(text, " \t")
			indent := text[:len(text)-len(code)]
			lines[i] = indent + h.before + strings.TrimRight(code, " \t\r") + h.after
		}
		files[name] = []byte(strings.Join(lines, "\n"))
	}

	// runtimecheck's own files, as package testing/internal.
	if err := addRuntimeCopy(files, srcDir); err != nil {
		return nil, err
	}

	// The new files.
	err := fs.WalkDir(overlaySources, "overlay", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := overlaySources.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "overlay/")
		dst := filepath.Join(srcDir, filepath.FromSlash(rel))
		if _, err := os.Stat(filepath.Dir(dst)); err != nil {
			return fmt.Errorf("the installed Go (%s; GOROOT %s) has no package %s: %v", env.version, env.goroot, path.Dir(rel), err)
		}
		if _, err := os.Stat(dst); err == nil {
			return fmt.Errorf("%s already exists in the installed Go (%s); lifeguard test will not replace it", dst, env.version)
		}
		files[dst] = stripIgnoreTag(data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// findHookLine returns the index in lines of h's line, or -1 and why not.
// The function must open exactly once in the file, and the line must come
// before the function's closing brace.
func findHookLine(lines []string, h hookPoint) (int, string) {
	start := -1
	for i, l := range lines {
		if strings.TrimRight(l, " \t\r") == h.fn {
			if start >= 0 {
				return -1, fmt.Sprintf("%q opens two functions", h.fn)
			}
			start = i
		}
	}
	if start < 0 {
		return -1, fmt.Sprintf("no line %q", h.fn)
	}
	if h.line == h.fn {
		return start, ""
	}
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if l == "}" {
			break // the end of the function
		}
		if strings.TrimLeft(l, " \t") == h.line {
			return i, ""
		}
	}
	return -1, fmt.Sprintf("no line %q in %s", h.line, strings.TrimSuffix(h.fn, " {"))
}

// stripIgnoreTag drops the "//go:build ignore" line that keeps the go
// command from building overlay/ as packages of the lifeguard module, and
// keeps the line count: it becomes an empty comment line.
func stripIgnoreTag(src []byte) []byte {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimSpace(first)) == "//go:build ignore" {
		return append([]byte("//\n"), rest...)
	}
	return src
}

// writeOverlay writes the overlay's files and its JSON description (the
// go command's -overlay format) under dir, adding the replacements of the
// user's own -overlay (extra), and returns the JSON file's name. The go
// command's build cache keys on the files' content, not on their paths, so
// a fresh directory per run keeps the overlaid standard library cached.
func writeOverlay(dir string, files map[string][]byte, extra map[string]string) (string, error) {
	replace := make(map[string]string, len(files)+len(extra))
	for i, name := range slices.Sorted(maps.Keys(files)) {
		// One directory per file keeps each base name, for people reading
		// the overlay; the go command goes by the replaced file's name.
		dst := filepath.Join(dir, fmt.Sprint(i), filepath.Base(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, files[name], 0o644); err != nil {
			return "", err
		}
		replace[name] = dst
	}
	for from, to := range extra {
		if _, dup := replace[from]; dup {
			return "", fmt.Errorf("-overlay replaces %s, which lifeguard test's own overlay replaces", from)
		}
		replace[from] = to
	}
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "\t")
	if err != nil {
		return "", err
	}
	jsonName := filepath.Join(dir, "overlay.json")
	return jsonName, os.WriteFile(jsonName, data, 0o644)
}

// runtimeCopyDir is where, under $GOROOT/src, the overlay puts the files of
// runtimecheck that do not import testing, with internal/leakrecord's, as
// one package that testing imports for the automatic check. The directory
// exists in the Go distribution with no Go file in it (the go command's vet
// step needs a real directory for every package).
const runtimeCopyDir = "testing/internal"

// addRuntimeCopy adds to files the copy of runtimecheck that testing runs:
// each file of runtimecheck that is not a test and does not import
// testing, and internal/leakrecord's files, in package runtimecheck, with
// the leakrecord import dropped and its names used unqualified. Lines are
// kept, so that the copy's line numbers are runtimecheck's.
func addRuntimeCopy(files map[string][]byte, srcDir string) error {
	dst := filepath.Join(srcDir, filepath.FromSlash(runtimeCopyDir))
	for _, dir := range []string{"runtimecheck", "internal/leakrecord"} {
		entries, err := fs.ReadDir(lifeguard.RuntimeSources, dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := fs.ReadFile(lifeguard.RuntimeSources, dir+"/"+name)
			if err != nil {
				return err
			}
			out, ok, err := runtimeCopyFile(src)
			if err != nil {
				return fmt.Errorf("%s/%s: %v", dir, name, err)
			}
			if ok {
				files[filepath.Join(dst, "lifeguard_"+path.Base(dir)+"_"+name)] = out
			}
		}
	}
	return nil
}

const leakrecordPath = "github.com/lifeguard-go/lifeguard/internal/leakrecord"

var leakrecordRef = regexp.MustCompile(`\bleakrecord\.`)

// runtimeCopyFile rewrites one file for the copy; ok is false for a file
// that is left out, one that imports testing.
func runtimeCopyFile(src []byte) ([]byte, bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return nil, false, err
	}
	lines := strings.Split(string(src), "\n")
	for _, imp := range f.Imports {
		switch p, _ := strconv.Unquote(imp.Path.Value); p {
		case "testing":
			return nil, false, nil
		}
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == strconv.Quote(leakrecordPath) || t == "import "+strconv.Quote(leakrecordPath):
			lines[i] = ""
		case t == "package leakrecord":
			lines[i] = "package runtimecheck"
		default:
			lines[i] = leakrecordRef.ReplaceAllString(l, "")
		}
	}
	return []byte(strings.Join(lines, "\n")), true, nil
}
