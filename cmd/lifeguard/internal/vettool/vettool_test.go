package vettool

import (
	"strings"
	"testing"
)

func TestIsVetToolInvocation(t *testing.T) {
	for _, tc := range []struct {
		args string
		want bool
	}{
		{"-V=full", true},
		{"-flags", true},
		{"--flags", true},
		{"-cmdwait=false -json /tmp/go-build1/b001/vet.cfg", true},
		{"", false},
		{"./...", false},
		{"-json ./...", false},
		{"-cmdwait=false ./a ./b", false},
		{"-C dir ./...", false},
	} {
		if got := IsInvocation(strings.Fields(tc.args)); got != tc.want {
			t.Errorf("IsInvocation(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
