package runtimecheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAttributionUnderLifeguardTest runs the leaky fixtures under
// `lifeguard test`, whose overlay records where each resource was made, and
// wants every seeded leak attributed to the line of the fixture that made
// it, with the API called there and the test. It needs `lifeguard test`
// (cmd/lifeguard/internal/lgtest, built here) or a lifeguard binary in
// $LIFEGUARD_BIN, and skips without either.
func TestAttributionUnderLifeguardTest(t *testing.T) {
	skipFixtures(t)
	bin := os.Getenv("LIFEGUARD_BIN")
	if bin == "" {
		if _, err := os.Stat("../cmd/lifeguard/internal/lgtest/lgtest.go"); err != nil {
			t.Skip("no lifeguard test in this tree (cmd/lifeguard/internal/lgtest) and no $LIFEGUARD_BIN")
		}
		bin = filepath.Join(t.TempDir(), "lifeguard")
		build := exec.Command(goCommand(), "build", "-o", bin, "./cmd/lifeguard")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build lifeguard: %v\n%s", err, out)
		}
	}
	cmd := exec.Command(bin, "test", "-count=1", "./testdata/runtimecheck/leaky", "./testdata/runtimecheck/mainleak", "./testdata/runtimecheck/parallel")
	cmd.Dir = ".."
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	text := out.String()

	for _, tc := range []struct {
		fixture, test string
		leak          string // regexp of the leak's description
		fn, call      string // the function of the fixture and the text of the line that made it
		verb, api     string
	}{
		{"leaky", "TestStartNoWait", `pid \d+ zombie ("[^"]*"|\[[^]]*\])`, "StartNoWait", "cmd.Start()", "started", "(*exec.Cmd).Start"},
		{"leaky", "TestStdoutPipeNotRead", `fd \d+ pipe:\[\d+\] read end`, "StdoutNotRead", "cmd.StdoutPipe()", "opened", "(*exec.Cmd).StdoutPipe"},
		{"leaky", "TestStdoutPipeNotRead", `pid \d+ zombie ("[^"]*"|\[[^]]*\])`, "StdoutNotRead", "cmd.Start()", "started", "(*exec.Cmd).Start"},
		{"leaky", "TestStdinPipeNotClosed", `fd \d+ pipe:\[\d+\] write end`, "StdinNotClosed", "cmd.StdinPipe()", "opened", "(*exec.Cmd).StdinPipe"},
		{"leaky", "TestStdinPipeNotClosed", `pid \d+ running "cat"`, "StdinNotClosed", "cmd.Start()", "started", "(*exec.Cmd).Start"},
		{"leaky", "TestPipeWriteEndKept", `fd \d+ pipe:\[\d+\] write end`, "PipeWriteEndKept", "os.Pipe()", "opened", "os.Pipe"},
		{"leaky", "TestIOPipeWriterNotClosed", `io\.Pipe writer never closed, a reader waits for EOF`, "IOPipeWriterNotClosed", "io.Pipe()", "created", "io.Pipe"},
		{"leaky", "TestListenerLeft", `fd \d+ socket:\[\d+\] tcp \S+ listening`, "ListenerLeft", "net.Listen(", "opened", "net.Listen"},
		{"leaky", "TestConnLeft", `fd \d+ socket:\[\d+\] tcp \S+ -> \S+ \S+`, "ConnLeft", "net.Dial(", "opened", "net.Dial"},
		{"leaky", "TestFileLeft", `fd \d+ file \S+/data\.txt( \(deleted\))?`, "FileLeft", "os.Open(", "opened", "os.Open"},
		{"mainleak", "TestLeaks", `fd \d+ pipe:\[\d+\] read end`, "Leak", "os.Pipe()", "opened", "os.Pipe"},
		{"mainleak", "TestLeaks", `fd \d+ pipe:\[\d+\] write end`, "Leak", "os.Pipe()", "opened", "os.Pipe"},
		{"mainleak", "TestLeaks", `pid \d+ zombie ("[^"]*"|\[[^]]*\])`, "Leak", "cmd.Start()", "started", "(*exec.Cmd).Start"},
		// Under the overlay a parallel test is blamed for what its own
		// stack made.
		{"parallel", "TestLeaker", `fd \d+ pipe:\[\d+\] read end`, "Leak", "os.Pipe()", "opened", "os.Pipe"},
	} {
		line := lineOf(t, filepath.Join("../testdata/runtimecheck", tc.fixture, tc.fixture+".go"), tc.fn, tc.call)
		want := `(?m)^\s*` + tc.leak + regexp.QuoteMeta(" ("+tc.verb+" at "+tc.fixture+".go:"+strconv.Itoa(line)+" by "+tc.api+" in "+tc.test+")") + `$`
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("%s %s: no line %s", tc.fixture, tc.test, want)
		}
	}
	for _, head := range []string{
		"TestStdoutPipeNotRead leaked 1 file descriptor and 1 child process:",
		"TestIOPipeWriterNotClosed leaked 1 io.Pipe:",
		"TestLeaker leaked 2 file descriptors:",
		"runtimecheck: the tests of " + fixtureRoot + "mainleak leaked 2 file descriptors and 1 child process:",
	} {
		if !strings.Contains(text, head) {
			t.Errorf("no %q", head)
		}
	}
	if t.Failed() {
		t.Logf("lifeguard test said:\n%s", text)
	}
}

// lineOf is the line of file, in function fn, that contains call.
func lineOf(t *testing.T, file, fn, call string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.HasPrefix(l, "func ") {
			in = strings.HasPrefix(l, "func "+fn+"(")
		}
		if in && strings.Contains(l, call) {
			return n
		}
	}
	t.Fatalf("no %q in %s of %s", call, fn, file)
	return 0
}
