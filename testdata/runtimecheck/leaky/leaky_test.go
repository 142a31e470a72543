package leaky_test

import (
	"net"
	"testing"

	"github.com/lifeguard-go/lifeguard/runtimecheck"
	"github.com/lifeguard-go/lifeguard/testdata/runtimecheck/leaky"
)

func TestStartNoWait(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.StartNoWait(); err != nil {
		t.Fatal(err)
	}
}

func TestStdoutPipeNotRead(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.StdoutNotRead(); err != nil {
		t.Fatal(err)
	}
}

func TestStdinPipeNotClosed(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.StdinNotClosed(); err != nil {
		t.Fatal(err)
	}
}

func TestPipeWriteEndKept(t *testing.T) {
	runtimecheck.Check(t)
	if _, err := leaky.PipeWriteEndKept(); err != nil {
		t.Fatal(err)
	}
}

func TestIOPipeWriterNotClosed(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.IOPipeWriterNotClosed(); err != nil {
		t.Fatal(err)
	}
}

func TestListenerLeft(t *testing.T) {
	runtimecheck.Check(t)
	if _, err := leaky.ListenerLeft(); err != nil {
		t.Fatal(err)
	}
}

func TestConnLeft(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	runtimecheck.Check(t)
	accepted := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			err = c.Close()
		}
		accepted <- err
	}()
	if err := leaky.ConnLeft(ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}
}

func TestFileLeft(t *testing.T) {
	runtimecheck.Check(t)
	if _, err := leaky.FileLeft(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
