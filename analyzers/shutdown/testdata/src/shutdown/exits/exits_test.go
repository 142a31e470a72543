package exits

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	dir, _ := os.MkdirTemp("", "fixture")
	defer os.RemoveAll(dir)
	os.Exit(m.Run()) // want `os.Exit exits without running the deferred os.RemoveAll at exits_test.go:10: what it removes stays behind`
}

// t.Fatal runs the test's defers (runtime.Goexit).
func TestFatal(t *testing.T) {
	dir, _ := os.MkdirTemp("", "x")
	defer os.RemoveAll(dir)
	if dir == "" {
		t.Fatal("no dir")
	}
}
