package suite_test

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// demoFindings is every finding the suite must report on testdata/demo, one
// per rule, and nothing else. code is text that must appear on the reported
// line, so that an edit to the demo that moves a bug fails here with a clear
// message rather than as a mismatch; msg must appear in the message.
var demoFindings = []struct {
	analyzer string
	file     string // relative to testdata/demo
	line     int
	code     string
	msg      string
}{
	// cmdwait
	{"cmdwait", "media/transcode.go", 39, "cmd.Start()",
		"cmd.Start without Wait on the path returning at transcode.go:44: the child becomes a zombie"},
	{"cmdwait", "supervise/helper.go", 26, "cmd.Process.Kill()",
		"cmd.Process.Kill without Wait on the path returning at helper.go:27: the killed child stays a zombie"},
	{"cmdwait", "supervise/indexer.go", 14, "os.StartProcess(",
		"os.StartProcess without Wait on the path returning at indexer.go:23: the child becomes a zombie (Release does not reap it)"},
	{"cmdwait", "media/transcode.go", 66, "cmd.Process.Wait()",
		"cmd.Process.Wait instead of cmd.Wait: the copy goroutines, context watcher and pipes of cmd leak"},
	{"cmdwait", "gitrepo/git.go", 39, "cmd.Wait()",
		"cmd.Wait after cmd.Run at git.go:33: Run already waited"},
	{"cmdwait", "gitrepo/show.go", 32, "r.start(ctx,",
		"r.start starts a command that is not waited for on the path returning at show.go:40: the child becomes a zombie and its pipes leak; call Wait on the *exec.Cmd it returns"},
	{"cmdwait", "supervise/worker.go", 24, "w.cmd.Start()",
		"w.cmd.Start without Wait: nothing in this package waits for the command kept in field cmd of Worker, so the child becomes a zombie"},
	{"cmdwait", "media/thumbnail.go", 25, "cmd.Run()",
		"cmd.Run in a goroutine, abandoned on the path returning at thumbnail.go:28 after the timeout: the child runs on, and so does the goroutine; kill it"},

	// pipedrain
	{"pipedrain", "media/transcode.go", 85, "cmd.StdoutPipe()",
		"stdout pipe of cmd is never read, closed or handed off: the child blocks once the 64 KiB pipe buffer fills"},
	{"pipedrain", "media/transcode.go", 113, "cmd.Run()",
		"cmd.Run after cmd.StdoutPipe at transcode.go:100: Run waits for the child and closes the pipe"},
	{"pipedrain", "media/probe.go", 33, "cmd.Wait()",
		"cmd.Wait before the reads of stdout at probe.go:37 complete"},
	{"pipedrain", "gitrepo/git.go", 63, "io.ReadAll(stdout)",
		"stdout and stderr of cmd are read to EOF one after the other"},
	{"pipedrain", "gitrepo/git.go", 77, "cmd.StdinPipe()",
		"stdin pipe of cmd is not closed on the path to cmd.Wait at git.go:89"},
	{"pipedrain", "supervise/lines.go", 18, "os.Pipe()",
		"of os.Pipe is given to the child and still open in the parent"},
	{"pipedrain", "gitrepo/show.go", 59, "cmd.Wait()",
		"stdout pipe of cmd is read only partly at show.go:53 and neither read to EOF nor closed before cmd.Wait: a child that writes more than the 64 KiB pipe buffer blocks, and Wait never returns"},
	{"pipedrain", "media/thumbnail.go", 57, "io.MultiReader(stdout, stderr)",
		"io.MultiReader reads the stdout and stderr pipes of cmd one after the other"},

	// defercancel
	{"defercancel", "api/api.go", 123, "context.WithTimeout(ctx, 5*time.Second)",
		"context.WithTimeout in a deferred function makes a context that nothing uses: it bounds no work"},
	{"defercancel", "api/api.go", 90, "defer cancel()",
		"defer cancel() inside a loop: the context.WithTimeout at api.go:86 and its timer stay alive until (*Server).handleThumbnails returns, one per iteration"},

	{"defercancel", "api/jobs.go", 111, "context.WithTimeout(ctx, 5*time.Second)",
		"context.WithTimeout in a deferred function derives from ctx, which may already be cancelled when (*Server).RemuxLeased returns: the cleanup's calls fail at once with context canceled; derive it from context.WithoutCancel(ctx)"},

	// ctxbreak
	{"ctxbreak", "api/jobs.go", 79, "go func() {",
		"r.Context() used by a goroutine that (*Server).handleRetranscode does not wait for: net/http cancels it when the handler returns at the end of the function, so the work fails with context canceled part-way; use context.WithoutCancel(r.Context()) with a timeout of its own"},
	{"ctxbreak", "api/api.go", 72, "media.Probe(context.Background(),",
		"context.Background() in (*Server).handleProbe, which has r.Context(): the work it roots ignores the caller's cancellation and deadline"},
	{"ctxbreak", "api/api.go", 108, "context.WithValue(context.Background(), requestIDKey,",
		"context.Background() in (*Server).handleArchive gets values copied from r.Context()"},
	{"ctxbreak", "api/jobs.go", 54, "context.WithTimeout(context.Background(),",
		"context.Background() in the function literal at jobs.go:43, which has r.Context(): the work it roots ignores the caller's cancellation and deadline"},

	// handlerrecover
	{"handlerrecover", "api/api.go", 56, "go func() {",
		"goroutine started in HTTP handler (*Server).handleUpload has no deferred recover: net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server"},
	{"handlerrecover", "api/jobs.go", 19, "go f()",
		"goroutine started in background for HTTP handler (*Server).handleRemux at jobs.go:25 has no deferred recover: it runs the function literal at jobs.go:25, which can panic"},

	// shutdown
	{"shutdown", "cmd/mediaserver/main.go", 42, "close(sigs)",
		"close of sigs, given to signal.Notify at main.go:38, with no signal.Stop before it: a signal that arrives afterwards is sent on the closed channel and panics; call signal.Stop(sigs) first"},
	{"shutdown", "cmd/mediaserver/main.go", 44, "srv.Shutdown(context.Background())",
		"srv.Shutdown with a context that has no deadline (context.Background()): one connection that never goes idle blocks it for ever; give it context.WithTimeout and call Close when that expires"},
	{"shutdown", "cmd/mediaserver/main.go", 48, "srv.ListenAndServe()",
		"the error of srv.ListenAndServe reaches log.Fatal at main.go:50 without a check for http.ErrServerClosed: Shutdown at main.go:44 makes it return ErrServerClosed at once, so the process exits before in-flight requests drain; treat errors.Is(err, http.ErrServerClosed) as success"},
	{"shutdown", "cmd/mediaserver/main.go", 50, "log.Fatal(err)",
		"log.Fatal exits without running the deferred audit.Flush at main.go:32: what it would flush or write out is lost; return instead, and exit where no such defer is pending (func main() { os.Exit(run()) })"},

	// cmdcancel
	{"cmdcancel", "media/hook.go", 31, `exec.CommandContext(ctx, "sh", "-c", h.Script, "hook", file)`,
		"the cancel of its context (exec.CommandContext) kills only sh (sh -c with a script built at run time), not the children it starts: they keep the output pipe open, so cmd.Run blocks until they exit, long after the kill; set cmd.WaitDelay, and run it in a process group of its own (SysProcAttr.Setpgid) and kill the group with syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) in cmd.Cancel"},
}

// demoDetails is, for the findings of demoFindings at file:line that have
// them, the related information (each position the message names, with the
// clause that names it) and the lines of the steps of the path the finding
// is about, in order: what SARIF shows as related locations and code flows.
var demoDetails = map[string]struct {
	related []string
	steps   []int
}{
	"api/api.go:56":              {nil, []int{46, 56}},
	"api/api.go:90":              {[]string{"api/api.go:86: the context.WithTimeout here and its timer stay alive until (*Server).handleThumbnails returns"}, []int{86, 90}},
	"api/jobs.go:79":             {nil, []int{72, 79}},
	"api/jobs.go:19":             {[]string{"api/jobs.go:25: HTTP handler (*Server).handleRemux here"}, []int{23, 25, 19}},
	"api/jobs.go:54":             {[]string{"api/jobs.go:43: context.Background() in the function literal here"}, nil},
	"gitrepo/git.go:39":          {[]string{"gitrepo/git.go:33: cmd.Wait after cmd.Run here"}, []int{33, 39}},
	"gitrepo/git.go:63":          {[]string{"gitrepo/git.go:64: stderr here"}, []int{63, 64}},
	"gitrepo/git.go:77":          {[]string{"gitrepo/git.go:89: stdin pipe of cmd is not closed on the path to cmd.Wait here"}, []int{77, 89}},
	"gitrepo/show.go:32":         {[]string{"gitrepo/show.go:40: r.start starts a command that is not waited for on the path returning here"}, []int{32, 40}},
	"gitrepo/show.go:59":         {[]string{"gitrepo/show.go:53: stdout pipe of cmd is read only partly here and neither read to EOF nor closed before cmd.Wait"}, []int{46, 53, 59}},
	"media/probe.go:33":          {[]string{"media/probe.go:37: cmd.Wait before the reads of stdout here complete"}, []int{22, 33, 37}},
	"media/thumbnail.go:25":      {[]string{"media/thumbnail.go:28: cmd.Run in a goroutine, abandoned on the path returning here after the timeout"}, []int{25, 25, 28}},
	"media/thumbnail.go:57":      {[]string{"media/thumbnail.go:41: stdout pipe taken here", "media/thumbnail.go:45: stderr pipe taken here"}, nil},
	"media/transcode.go:113":     {[]string{"media/transcode.go:100: cmd.Run after cmd.StdoutPipe here"}, []int{100, 113}},
	"media/transcode.go:39":      {[]string{"media/transcode.go:44: cmd.Start without Wait on the path returning here"}, []int{39, 44}},
	"supervise/helper.go:26":     {[]string{"supervise/helper.go:27: cmd.Process.Kill without Wait on the path returning here"}, []int{26, 27}},
	"supervise/indexer.go:14":    {[]string{"supervise/indexer.go:23: os.StartProcess without Wait on the path returning here"}, []int{14, 23}},
	"cmd/mediaserver/main.go:42": {[]string{"cmd/mediaserver/main.go:38: close of sigs, given to signal.Notify here, with no signal.Stop before it: a signal that arrives afterwards is sent on the closed channel and panics; call signal.Stop(sigs) first"}, nil},
	"cmd/mediaserver/main.go:48": {[]string{"cmd/mediaserver/main.go:50: the error of srv.ListenAndServe reaches log.Fatal here without a check for http.ErrServerClosed: Shutdown at main.go:44 makes it return ErrServerClosed at once, so the process exits before in-flight requests drain; treat errors.Is(err, http.ErrServerClosed) as success", "cmd/mediaserver/main.go:44: the error of srv.ListenAndServe reaches log.Fatal at main.go:50 without a check for http.ErrServerClosed: Shutdown here makes it return ErrServerClosed at once, so the process exits before in-flight requests drain; treat errors.Is(err, http.ErrServerClosed) as success"}, nil},
	"cmd/mediaserver/main.go:50": {[]string{"cmd/mediaserver/main.go:32: log.Fatal exits without running the deferred audit.Flush here: what it would flush or write out is lost; return instead, and exit where no such defer is pending (func main() { os.Exit(run()) })"}, nil},
	"supervise/lines.go:18":      {[]string{"supervise/lines.go:33: the write end of os.Pipe is given to the child and still open in the parent when the read end is read here"}, []int{18, 28, 33}},
}

// TestDemo runs the whole suite, the way the lifeguard binary does, over the
// demo module in testdata/demo (its tests included) and checks that each rule
// fires exactly once, at its bug, and that nothing else is reported: not the
// correct counterparts in the correct.go files, not the suppressed Start in
// supervise/upgrade.go, not the tests.
func TestDemo(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}

	for _, want := range demoFindings {
		src, err := os.ReadFile(filepath.Join(dir, want.file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		if want.line > len(lines) || !strings.Contains(lines[want.line-1], want.code) {
			t.Fatalf("testdata/demo/%s:%d does not contain %q: the demo changed, update demoFindings", want.file, want.line, want.code)
		}
	}

	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("testdata/demo has %d load or type errors", n)
	}

	graph, err := checker.Analyze(suite.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}

	// With Tests set, a package is loaded alone and again with its tests, so
	// a finding in a non-test file is reported twice: count it once.
	type finding struct {
		analyzer, file string
		line, col      int
		msg            string
		related, steps string
		fingerprint    string
	}
	seen := make(map[finding]bool)
	var got []finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			file := pos.Filename
			if rel, err := filepath.Rel(dir, file); err == nil {
				file = filepath.ToSlash(rel)
			}
			rel := func(p token.Pos) string {
				posn := act.Package.Fset.Position(p)
				if r, err := filepath.Rel(dir, posn.Filename); err == nil {
					return fmt.Sprintf("%s:%d", filepath.ToSlash(r), posn.Line)
				}
				return posn.String()
			}
			var related, steps []string
			fingerprint := ""
			for _, r := range d.Related {
				related = append(related, rel(r.Pos)+": "+r.Message)
			}
			if det, ok := suite.DetailOf(act.Result, d); ok {
				fingerprint = det.Fingerprint
				for _, s := range det.Path {
					steps = append(steps, fmt.Sprint(act.Package.Fset.Position(s.Pos).Line))
				}
			}
			f := finding{act.Analyzer.Name, file, pos.Line, pos.Column, d.Message, strings.Join(related, "\n"), strings.Join(steps, " "), fingerprint}
			if !seen[f] {
				seen[f] = true
				got = append(got, f)
			}
		}
	}
	sort.Slice(got, func(i, j int) bool {
		if got[i].file != got[j].file {
			return got[i].file < got[j].file
		}
		return got[i].line < got[j].line
	})

	matched := make([]bool, len(got))
	for _, want := range demoFindings {
		var hits []string
		for i, f := range got {
			if f.analyzer == want.analyzer && f.file == want.file && f.line == want.line && strings.Contains(f.msg, want.msg) {
				matched[i] = true
				hits = append(hits, f.msg)
			}
		}
		switch len(hits) {
		case 1:
			key := fmt.Sprintf("%s:%d", want.file, want.line)
			var f finding
			for i, g := range got {
				if matched[i] && g.file == want.file && g.line == want.line && g.analyzer == want.analyzer {
					f = g
				}
			}
			det := demoDetails[key]
			var steps []string
			for _, l := range det.steps {
				steps = append(steps, fmt.Sprint(l))
			}
			if wantRel := strings.Join(det.related, "\n"); f.related != wantRel {
				t.Errorf("%s: related information\n%s\nwant\n%s", key, f.related, wantRel)
			}
			if wantSteps := strings.Join(steps, " "); f.steps != wantSteps {
				t.Errorf("%s: path on lines [%s], want [%s]", key, f.steps, wantSteps)
			}
			// A fingerprint names positions by file, so that it survives
			// code inserted above; a message that names none is its own.
			wantFP := f.msg
			switch key {
			case "media/transcode.go:39":
				wantFP = "cmd.Start without Wait on the path returning at transcode.go: the child becomes a zombie and its pipes leak; call cmd.Wait"
			case "api/api.go:90":
				wantFP = "defer cancel() inside a loop: the context.WithTimeout at api.go and its timer stay alive until (*Server).handleThumbnails returns, one per iteration; call cancel() at the end of each iteration, or move the loop body into a function"
			default:
				if len(det.related) > 0 {
					wantFP = f.fingerprint // checked by the cases above
				}
			}
			if f.fingerprint != wantFP {
				t.Errorf("%s: fingerprint %q, want %q", key, f.fingerprint, wantFP)
			}
		case 0:
			var near []string
			for _, f := range got {
				if f.file == want.file && f.line == want.line {
					near = append(near, fmt.Sprintf("%s: %s", f.analyzer, f.msg))
				}
			}
			t.Errorf("missing %s finding at %s:%d (%s)\n\twant message containing: %s\n\tgot at that line: %q",
				want.analyzer, want.file, want.line, want.code, want.msg, near)
		default:
			t.Errorf("%s reported %d times at %s:%d: %q", want.analyzer, len(hits), want.file, want.line, hits)
		}
	}
	for i, f := range got {
		if !matched[i] {
			t.Errorf("unexpected finding %s:%d:%d: %s (%s)", f.file, f.line, f.col, f.msg, f.analyzer)
		}
	}
}
