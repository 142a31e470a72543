package clean_test

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"example.com/lgtest/clean"
	"github.com/lifeguard-go/lifeguard/runtimecheck"
)

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skip(err)
	}
	return p
}

func TestStartThenFail(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.StartThenFail(lookPath(t, "true"), t.TempDir()); err == nil {
		t.Fatal("StartThenFail succeeded writing into a missing directory")
	}
}

func TestKillAndWait(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.KillAndWait(lookPath(t, "sleep")); err != nil {
		t.Fatal(err)
	}
}

func TestStartWait(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.StartWait(lookPath(t, "true")); err != nil {
		t.Fatal(err)
	}
}

func TestCount(t *testing.T) {
	runtimecheck.Check(t)
	n, err := clean.Count(lookPath(t, "head"), "-c", "200000", "/dev/zero")
	if err != nil || n != 200000 {
		t.Fatalf("Count = %d, %v", n, err)
	}
}

func TestCollect(t *testing.T) {
	runtimecheck.Check(t)
	out, err := clean.Collect("sh", "-c", "echo out; echo err >&2")
	if err != nil || out != "out\nerr\n" {
		t.Fatalf("Collect = %q, %v", out, err)
	}
}

func TestUpper(t *testing.T) {
	runtimecheck.Check(t)
	var buf bytes.Buffer
	if err := clean.Upper(&buf, "hello"); err != nil || buf.String() != "HELLO" {
		t.Fatalf("Upper = %q, %v", buf.String(), err)
	}
}

func TestServe(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.Serve(func(net.Listener) error { return errors.New("handler failed") }); err == nil {
		t.Fatal("Serve succeeded")
	}
}

func TestEcho(t *testing.T) {
	runtimecheck.Check(t)
	if got, err := clean.Echo("ping"); err != nil || got != "ping\n" {
		t.Fatalf("Echo = %q, %v", got, err)
	}
}

func TestFirstLine(t *testing.T) {
	runtimecheck.Check(t)
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, []byte("no newline"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := clean.FirstLine(name); err == nil {
		t.Fatal("FirstLine found a line")
	}
}

func TestLines(t *testing.T) {
	runtimecheck.Check(t)
	lines, err := clean.Lines("echo a; echo b | cat")
	if err != nil || len(lines) != 2 {
		t.Fatalf("Lines = %q, %v", lines, err)
	}
}
