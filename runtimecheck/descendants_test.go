package runtimecheck

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// As a subreaper, the test process has its children and the descendants
// re-parented to it: a running descendant is a leak, a zombie one (an
// orphan that exited, which init would have reaped) is reaped and not
// reported; a zombie child of its own is still a leak and never reaped.
func TestDescendantsFromFakes(t *testing.T) {
	const self = 100 // the test process's group
	sys := &fakeSystem{states: []fakeState{
		{fds: baseFDs(), subreaper: true, pgrp: self},
		{fds: baseFDs(), subreaper: true, pgrp: self, procs: []procEntry{
			{pid: 200, start: 1, state: 'Z', comm: "sh", pgrp: self},   // a child: own group is ours
			{pid: 301, start: 2, state: 'Z', comm: "sleep", pgrp: 300}, // in the group of a Setpgid child 300
			{pid: 302, start: 2, state: 'S', comm: "sleep", pgrp: 300}, // the same, running
			{pid: 400, start: 3, state: 'Z', comm: "true", pgrp: 400},  // a Setpgid child itself
		}, args: map[int][]string{302: {"sleep", "10"}}},
	}}
	leaks := leaksOf(t, sys)
	want := []string{"pid 200 zombie [sh]", `pid 302 running "sleep 10"`, "pid 400 zombie [true]"}
	if got := descs(leaks); !slices.Equal(got, want) {
		t.Errorf("leaks %q, want %q", got, want)
	}
	if !slices.Equal(sys.reapedPIDs, []int{301}) {
		t.Errorf("reaped %v, want the zombie descendant 301 alone", sys.reapedPIDs)
	}

	// Without the subreaper, every child is a child.
	sys = &fakeSystem{states: []fakeState{
		{fds: baseFDs(), pgrp: self},
		{fds: baseFDs(), pgrp: self, procs: []procEntry{{pid: 301, start: 2, state: 'Z', comm: "sleep", pgrp: 300}}},
	}}
	if got := descs(leaksOf(t, sys)); !slices.Equal(got, []string{"pid 301 zombie [sleep]"}) || len(sys.reapedPIDs) > 0 {
		t.Errorf("no subreaper: leaks %q, reaped %v; want the zombie reported and not reaped", got, sys.reapedPIDs)
	}
}

// TestAutoFromFakes drives the automatic check as testing does: a leak made
// by a sequential test is reported at exit with that test, one released
// before exit is not, one that appeared in a test that called Check is
// Check's, and a running descendant is reported when its test ends.
func TestAutoFromFakes(t *testing.T) {
	t.Setenv(TraceOutEnv, "")
	pipe := func(ino int) fakeFD { return pipeEnd(ino, "00") }
	base := baseFDs()
	sys := &fakeSystem{states: []fakeState{
		{fds: base}, // m.Run starts
		{fds: base}, // TestA starts
		{fds: with(base, map[int]fakeFD{7: pipe(1)})}, // TestA ends: fd 7
		{fds: with(base, map[int]fakeFD{7: pipe(1)})}, // TestB starts
		{fds: with(base, map[int]fakeFD{7: pipe(1), 8: pipe(2), 9: pipe(3)}), // TestB (checked) ends: 8, 9
			subreaper: true},
		{fds: with(base, map[int]fakeFD{7: pipe(1), 8: pipe(2), 9: pipe(3)})}, // TestC starts
		{fds: with(base, map[int]fakeFD{7: pipe(1), 8: pipe(2), 9: pipe(3), 10: pipe(4)}), subreaper: true, pgrp: 1,
			procs: []procEntry{{pid: 50, start: 9, state: 'S', comm: "sleep", pgrp: 49}}}, // TestC ends: fd 10, a descendant
		{fds: with(base, map[int]fakeFD{7: pipe(1), 8: pipe(2)})}, // exit: 9 and 10 are gone
	}}
	var w bytes.Buffer
	old := auto
	auto = &autoChecker{sys: sys, w: &w}
	defer func() { auto = old }()

	autoMainStart("example.com/x_test")
	auto.cfg.maxWait = 0 // each end looks once: the states are read in order
	autoTestStart("TestA")
	autoTestEnd("TestA", false, false)
	autoTestStart("TestB")
	autoTestEnd("TestB", false, true)
	autoTestStart("TestC")
	autoTestEnd("TestC", false, false)
	autoExit(0) // before m.Run returned: nothing
	autoMainDone()
	autoExit(0)
	autoExit(0) // once

	out := w.String()
	for _, want := range []string{
		"the tests of example.com/x leaked 1 child process",
		"pid 50 running [sleep]",
		"the tests of example.com/x leaked 1 file descriptor",
		"fd 7 pipe:[1]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"fd 8", "fd 9", "fd 10"} {
		if strings.Contains(out, not) {
			t.Errorf("report has %q:\n%s", not, out)
		}
	}
	if n := strings.Count(out, "lifeguard: the automatic check"); n != 2 {
		t.Errorf("%d reports, want 2 (the descendant at TestC's end, fd 7 at exit):\n%s", n, out)
	}
	if got := auto.seen["f7 pipe:[1]"]; got != "TestA" {
		t.Errorf("fd 7 seen in %q, want TestA", got)
	}
}

// A descendant that is gone on the next look was exiting when its test
// ended (the regression of a flaky TestLifeguardTestCancel: Run without
// WaitDelay returned on the EOF of a background sleep whose exit the
// kernel had not finished, and the sleep was reported as left running).
// One that lasts through MaxWait is reported.
func TestAutoSettlesExitingDescendant(t *testing.T) {
	t.Setenv(TraceOutEnv, "")
	base := baseFDs()
	exiting := fakeState{fds: base, subreaper: true, pgrp: 1,
		procs: []procEntry{{pid: 50, start: 9, state: 'R', comm: "sleep", pgrp: 49}}}
	for _, tc := range []struct {
		name   string
		states []fakeState
		want   bool
	}{
		{"exited", []fakeState{{fds: base}, {fds: base}, exiting, {fds: base, subreaper: true, pgrp: 1}}, false},
		{"zombie", []fakeState{{fds: base}, {fds: base}, exiting, {fds: base, subreaper: true, pgrp: 1,
			procs: []procEntry{{pid: 50, start: 9, state: 'Z', comm: "sleep", pgrp: 49}}}}, false},
		{"lasts", []fakeState{{fds: base}, {fds: base}, exiting}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSystem{states: tc.states}
			var w bytes.Buffer
			old := auto
			auto = &autoChecker{sys: sys, w: &w}
			defer func() { auto = old }()
			autoMainStart("example.com/x_test")
			auto.cfg.maxWait = 50 * time.Millisecond
			autoTestStart("TestD")
			autoTestEnd("TestD", false, false)
			if got := strings.Contains(w.String(), "pid 50 running [sleep]"); got != tc.want {
				t.Errorf("reported %v, want %v:\n%s", got, tc.want, w.String())
			}
		})
	}
}
