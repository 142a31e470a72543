package mainleak_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/runtimecheck"
	"github.com/lifeguard-go/lifeguard/testdata/runtimecheck/mainleak"
)

func TestMain(m *testing.M) {
	runtimecheck.VerifyTestMain(m)
}

func TestFine(t *testing.T) {}

func TestLeaks(t *testing.T) {
	t.Parallel()
	if err := mainleak.Leak(); err != nil {
		t.Fatal(err)
	}
}
