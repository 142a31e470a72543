package positions

import (
	"path/filepath"
	"testing"
)

func TestDisplay(t *testing.T) {
	root := filepath.FromSlash("/work/repo")
	p := Display{dirs: []string{root}}
	for _, tc := range []struct{ in, want string }{
		{"/work/repo/a/b.go", "a/b.go"},
		{"/work/repo", "."},
		{"/work/repository/x.go", "/work/repository/x.go"},
		{"/work/other/x.go", "/work/other/x.go"},
		{"/work/repo/..hidden/x.go", "..hidden/x.go"},
		{"rel/x.go", "rel/x.go"},
	} {
		if got := filepath.ToSlash(p.File(filepath.FromSlash(tc.in))); got != tc.want {
			t.Errorf("File(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"/work/repo/a.go:3:14", "a.go:3:14"},
		{"/work/repo/a.go:3", "a.go:3"},
		{"/work/repo/a.go", "a.go"},
		{"/work/repo/c:d.go:1:2", "c:d.go:1:2"},
	} {
		if got := filepath.ToSlash(p.Position(filepath.FromSlash(tc.in))); got != tc.want {
			t.Errorf("Position(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in, want string
		under    bool
	}{
		{"/work/repo/a/b.go", "a/b.go", true},
		{"/work/repository/x.go", "/work/repository/x.go", false},
		{"rel/x.go", "rel/x.go", false},
	} {
		if got, under := p.Rel(filepath.FromSlash(tc.in)); got != tc.want || under != tc.under {
			t.Errorf("Rel(%q) = %q, %v; want %q, %v", tc.in, got, under, tc.want, tc.under)
		}
	}
}
