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
		{"unsupported system", []fakeState{{failed: fmt.Errorf("runtimecheck cannot verify on plan9: %w", errors.ErrUnsupported)}}, 0, 0, "runtimecheck cannot verify on plan9: unsupported operation\n"},
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

func TestCheckCannotVerify(t *testing.T) {
	unsupported := &fakeSystem{states: []fakeState{{failed: fmt.Errorf("runtimecheck cannot verify on plan9: %w", errors.ErrUnsupported)}}}
	rec := newRecTB(t, "TestX")
	check(rec, unsupported, "example.com/x", newConfig(nil))
	rec.finish()
	if len(rec.errs) != 0 || len(rec.logs) != 1 || rec.logs[0] != "runtimecheck cannot verify on plan9: unsupported operation" {
		t.Errorf("unsupported: errors %q, logs %q; want one log", rec.errs, rec.logs)
	}

	broken := &fakeSystem{states: []fakeState{{failed: errors.New("no /proc")}}}
	rec = newRecTB(t, "TestX")
	check(rec, broken, "example.com/x", newConfig(nil))
	rec.finish()
	if len(rec.errs) != 1 || rec.errs[0] != "runtimecheck: no /proc" {
		t.Errorf("broken /proc: errors %q; want one", rec.errs)
	}
}
