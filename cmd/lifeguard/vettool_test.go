package main

import (
	"path/filepath"
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
		if got := isVetToolInvocation(strings.Fields(tc.args)); got != tc.want {
			t.Errorf("isVetToolInvocation(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestPathDisplay(t *testing.T) {
	root := filepath.FromSlash("/work/repo")
	p := pathDisplay{dirs: []string{root}}
	for _, tc := range []struct{ in, want string }{
		{"/work/repo/a/b.go", "a/b.go"},
		{"/work/repo", "."},
		{"/work/repository/x.go", "/work/repository/x.go"},
		{"/work/other/x.go", "/work/other/x.go"},
		{"/work/repo/..hidden/x.go", "..hidden/x.go"},
		{"rel/x.go", "rel/x.go"},
	} {
		if got := filepath.ToSlash(p.file(filepath.FromSlash(tc.in))); got != tc.want {
			t.Errorf("file(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"/work/repo/a.go:3:14", "a.go:3:14"},
		{"/work/repo/a.go:3", "a.go:3"},
		{"/work/repo/a.go", "a.go"},
		{"/work/repo/c:d.go:1:2", "c:d.go:1:2"},
	} {
		if got := filepath.ToSlash(p.position(filepath.FromSlash(tc.in))); got != tc.want {
			t.Errorf("position(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
