package report

import "testing"

func TestClauseNaming(t *testing.T) {
	for _, tc := range []struct{ msg, where, want string }{
		{"cmd.Start without Wait on the path returning at run.go:57: the child becomes a zombie and its pipes leak; call cmd.Wait", "run.go:57",
			"cmd.Start without Wait on the path returning here"},
		{"stdout and stderr of cmd are read to EOF one after the other (stderr at git.go:64): once the child fills the 64 KiB stderr pipe, both sides block forever; read one in a goroutine", "git.go:64",
			"stderr here"},
		{"defer cancel() inside a loop: the context.WithTimeout at api.go:83 and its timer stay alive until (*Server).handleThumbnails returns, one per iteration; call cancel()", "api.go:83",
			"the context.WithTimeout here and its timer stay alive until (*Server).handleThumbnails returns"},
		{"goroutine started in the function literal at h.go:12, called from (*S).ServeHTTP at h.go:30, has no deferred recover", "h.go:30",
			"called from (*S).ServeHTTP here"},
		{"goroutine started in the function literal at h.go:12, called from (*S).ServeHTTP at h.go:30, has no deferred recover", "h.go:12",
			"goroutine started in the function literal here"},
		{"cmd.Wait after cmd.Run at git.go:33: Run already waited", "git.go:33", "cmd.Wait after cmd.Run here"},
		{"no position here", "x.go:1", ""},
	} {
		got, ok := clauseNaming(tc.msg, tc.where)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("clauseNaming(%q, %q) = %q, %v; want %q", tc.msg, tc.where, got, ok, tc.want)
		}
	}
}
