package runtimecheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestVerifyMain(t *testing.T) {
	leak := fakeState{fds: with(baseFDs(), map[int]fakeFD{9: pipeEnd(7, "01")}), procs: []procEntry{{pid: 50, start: 1, state: 'Z', comm: "true"}}}
	for _, tc := range []struct {
		name     string
		states   []fakeState
		code     int
		wantCode int
		wantOut  string
	}{
		{"clean", []fakeState{{fds: baseFDs()}}, 0, 0, ""},
		{"failed tests, clean", []fakeState{{fds: baseFDs()}}, 1, 1, ""},
		{"leaks", []fakeState{{fds: baseFDs()}, leak}, 0, 1,
			"runtimecheck: the tests of example.com/x leaked 1 file descriptor and 1 child process:\n\tfd 9 pipe:[7] write end\n\tpid 50 zombie [true]\n"},
		{"leaks and failed tests keep the status", []fakeState{{fds: baseFDs()}, leak}, 2, 2, "leaked 1 file descriptor and 1 child process"},
		{"no baseline", []fakeState{{failed: errors.New("boom")}}, 0, 1, "runtimecheck: boom\n"},
		{"unsupported system", []fakeState{{failed: fmt.Errorf("on plan9: %w", errors.ErrUnsupported)}}, 0, 0, "runtimecheck: on plan9: unsupported operation\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(TraceOutEnv, "")
			sys := &fakeSystem{states: tc.states}
			var out strings.Builder
			ran := false
			code := verifyMainWith(sys, func() int { ran = true; return tc.code }, &out, "example.com/x", newConfig([]Option{MaxWait(0)}))
			if !ran {
				t.Error("tests not run")
			}
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d", code, tc.wantCode)
			}
			if got := out.String(); (tc.wantOut == "") != (got == "") || !strings.Contains(got, tc.wantOut) {
				t.Errorf("output %q, want %q", got, tc.wantOut)
			}
		})
	}
}
