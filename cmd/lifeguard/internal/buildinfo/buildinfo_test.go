package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestDescribe(t *testing.T) {
	vcs := func(revision, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: revision}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "17bc479f1f1d30fd836fa083f1c3b4cb4d066020"
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install @version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.4.0"}},
			"lifeguard v0.4.0, built with go1.26.8"},
		{"checkout, modified", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")},
			"lifeguard (devel), revision " + rev + " (modified), built with go1.26.8"},
		{"checkout, clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")},
			"lifeguard (devel), revision " + rev + ", built with go1.26.8"},
		{"go run, no VCS stamp", &debug.BuildInfo{GoVersion: "go1.26.8"},
			"lifeguard (devel), built with go1.26.8"},
		{"no build information", nil,
			"lifeguard (unknown version), built with " + runtime.Version()},
	} {
		if got := describe(tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
