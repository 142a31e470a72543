package runtimecheck

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// leaksOf takes a baseline from the first state and returns the leaks of
// the second, looking once.
func leaksOf(t *testing.T, sys *fakeSystem, opts ...Option) []Leak {
	t.Helper()
	s, err := takeSnapshot(sys, newConfig(append(opts, MaxWait(0))))
	if err != nil {
		t.Fatal(err)
	}
	leaks, err := s.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	return leaks
}

func descs(leaks []Leak) []string {
	var d []string
	for _, l := range leaks {
		d = append(d, l.Desc)
	}
	return d
}

func TestFindFDs(t *testing.T) {
	base := baseFDs()
	for _, tc := range []struct {
		name   string
		before map[int]fakeFD
		after  map[int]fakeFD
		want   []string
	}{
		{
			name: "nothing new",
			want: nil,
		},
		{
			name:  "os.Pipe ends, registered in the runtime's epoll",
			after: with(netpollFDs(7, 8), map[int]fakeFD{7: pipeEnd(81234, "02004000"), 8: pipeEnd(81234, "02004001")}),
			want:  []string{"fd 7 pipe:[81234] read end", "fd 8 pipe:[81234] write end"},
		},
		{
			name:  "splice pipes of internal/poll: both ends, non-blocking, not in the epoll",
			after: with(netpollFDs(9), map[int]fakeFD{7: pipeEnd(500, "02004000"), 8: pipeEnd(500, "02004001"), 9: {target: "socket:[42]"}}),
			want:  []string{"fd 9 socket:[42] tcp 127.0.0.1:8080 listening"},
		},
		{
			name:  "a blocking pipe pair is the test's (syscall.Pipe)",
			after: with(netpollFDs(), map[int]fakeFD{7: pipeEnd(501, "0"), 8: pipeEnd(501, "01")}),
			want:  []string{"fd 7 pipe:[501] read end", "fd 8 pipe:[501] write end"},
		},
		{
			name:  "one non-blocking end alone is not a splice pipe",
			after: with(netpollFDs(), map[int]fakeFD{7: pipeEnd(502, "02004000")}),
			want:  []string{"fd 7 pipe:[502] read end"},
		},
		{
			name:  "without the runtime's epoll no pipe is taken for a splice pipe",
			after: map[int]fakeFD{7: pipeEnd(503, "02004000"), 8: pipeEnd(503, "02004001")},
			want:  []string{"fd 7 pipe:[503] read end", "fd 8 pipe:[503] write end"},
		},
		{
			name: "an epoll of the test's own, watching no eventfd",
			after: with(netpollFDs(), map[int]fakeFD{
				9:  {target: "anon_inode:[eventpoll]", info: "tfd:       10 events: 19 data: 0\n"},
				10: {target: "anon_inode:[timerfd]"},
			}),
			want: []string{"fd 9 anon_inode:[eventpoll]", "fd 10 anon_inode:[timerfd]"},
		},
		{
			name:  "pidfd of an os.Process that is no child (os.FindProcess)",
			after: map[int]fakeFD{9: {target: "anon_inode:[pidfd]", info: "Pid:\t1\nNSpid:\t1\n"}},
		},
		{
			name:  "files, deleted files, directories, devices",
			after: map[int]fakeFD{9: {target: "/tmp/x/data.txt (deleted)"}, 10: {target: "/tmp/x"}, 11: {target: "/dev/urandom"}},
			want:  []string{"fd 9 file /tmp/x/data.txt (deleted)", "fd 10 file /tmp/x", "fd 11 file /dev/urandom"},
		},
		{
			name:  "a socket /proc/net does not know",
			after: map[int]fakeFD{9: {target: "socket:[7]"}},
			want:  []string{"fd 9 socket:[7]"},
		},
		{
			name:  "namespaces and the like",
			after: map[int]fakeFD{9: {target: "net:[4026531840]"}},
			want:  []string{"fd 9 net:[4026531840]"},
		},
		{
			name:   "a descriptor closed and its number reused for something else",
			before: map[int]fakeFD{9: {target: "/tmp/a"}},
			after:  map[int]fakeFD{9: {target: "/tmp/b"}},
			want:   []string{"fd 9 file /tmp/b"},
		},
		{
			name:   "cgroup cpu files opened later are the runtime's",
			before: map[int]fakeFD{3: {target: "/dev/null"}, 4: {target: "/dev/null"}},
			after:  map[int]fakeFD{7: {target: "/sys/fs/cgroup/cpu.max"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSystem{
				states:  []fakeState{{fds: with(base, tc.before)}, {fds: with(with(base, tc.before), tc.after)}},
				sockets: map[uint64]string{42: "tcp 127.0.0.1:8080 listening"},
			}
			got := descs(leaksOf(t, sys))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("leaks:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestFindLeakFields(t *testing.T) {
	sys := &fakeSystem{states: []fakeState{
		{fds: baseFDs()},
		{
			fds:   with(baseFDs(), map[int]fakeFD{7: pipeEnd(9, "0")}),
			procs: []procEntry{{pid: 4121, start: 10, state: 'Z', comm: "sh"}},
		},
	}}
	got := leaksOf(t, sys)
	want := []Leak{
		{Kind: KindPipe, FD: 7, Desc: "fd 7 pipe:[9] read end"},
		{Kind: KindProcess, FD: -1, PID: 4121, Desc: "pid 4121 zombie [sh]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("leaks:\n got %+v\nwant %+v", got, want)
	}
}

func TestFindProcesses(t *testing.T) {
	old := procEntry{pid: 100, start: 5, state: 'S', comm: "helper"}
	for _, tc := range []struct {
		name  string
		after fakeState
		opts  []Option
		want  []string
	}{
		{
			name:  "a zombie keeps only its command name",
			after: fakeState{procs: []procEntry{old, {pid: 200, start: 9, state: 'Z', comm: "true"}}},
			want:  []string{"pid 200 zombie [true]"},
		},
		{
			name:  "a running child with its command line",
			after: fakeState{procs: []procEntry{{pid: 201, start: 9, state: 'S', comm: "sleep"}}, args: map[int][]string{201: {"sleep", "10"}}},
			want:  []string{`pid 201 running "sleep 10"`},
		},
		{
			name:  "stopped",
			after: fakeState{procs: []procEntry{{pid: 202, start: 9, state: 'T', comm: "vi"}}},
			want:  []string{"pid 202 stopped [vi]"},
		},
		{
			name:  "the same pid started again is a new child",
			after: fakeState{procs: []procEntry{{pid: 100, start: 6, state: 'Z', comm: "helper"}}},
			want:  []string{"pid 100 zombie [helper]"},
		},
		{
			name: "its pidfd belongs to the child and is not counted apart",
			after: fakeState{
				fds:   map[int]fakeFD{9: {target: "anon_inode:[pidfd]", info: "Pid:\t203\n"}},
				procs: []procEntry{{pid: 203, start: 9, state: 'Z', comm: "true"}},
			},
			want: []string{"pid 203 zombie [true]"},
		},
		{
			name: "IgnoreProcess by command line, base name, command name",
			after: fakeState{
				procs: []procEntry{
					{pid: 301, start: 9, state: 'S', comm: "sleep"},
					{pid: 302, start: 9, state: 'S', comm: "ssh-agent"},
					{pid: 303, start: 9, state: 'Z', comm: "git"},
					{pid: 304, start: 9, state: 'S', comm: "cat"},
				},
				args: map[int][]string{301: {"/usr/bin/sleep", "10"}, 302: {"/usr/bin/ssh-agent", "-D"}, 304: {"cat"}},
			},
			opts: []Option{IgnoreProcess("sleep *", "/usr/bin/ssh-*", "git")},
			want: []string{`pid 304 running "cat"`},
		},
		{
			name: "an ignored child's pidfd is ignored with it",
			after: fakeState{
				fds:   map[int]fakeFD{9: {target: "anon_inode:[pidfd]", info: "Pid:\t305\n"}},
				procs: []procEntry{{pid: 305, start: 9, state: 'Z', comm: "true"}},
			},
			opts: []Option{IgnoreProcess("true")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := tc.after
			after.fds = with(baseFDs(), after.fds)
			sys := &fakeSystem{states: []fakeState{{fds: baseFDs(), procs: []procEntry{old}}, after}}
			got := descs(leaksOf(t, sys, tc.opts...))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("leaks:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A child seen running keeps its command line in the report once it is a
// zombie, which has none.
func TestCommandLineKeptForZombies(t *testing.T) {
	running := fakeState{fds: baseFDs(), procs: []procEntry{{pid: 7, start: 1, state: 'R', comm: "sh"}}, args: map[int][]string{7: {"sh", "-c", "sleep 0"}}}
	zombie := fakeState{fds: baseFDs(), procs: []procEntry{{pid: 7, start: 1, state: 'Z', comm: "sh"}}}
	sys := &fakeSystem{states: []fakeState{{fds: baseFDs()}, running, zombie}}
	s, err := takeSnapshot(sys, newConfig([]Option{MaxWait(50 * time.Millisecond)}))
	if err != nil {
		t.Fatal(err)
	}
	leaks, err := s.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := descs(leaks), []string{`pid 7 zombie "sh -c sleep 0"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("leaks %q, want %q", got, want)
	}
}

func TestIgnoreFD(t *testing.T) {
	after := with(baseFDs(), with(netpollFDs(7), map[int]fakeFD{
		7:  pipeEnd(1, "02004000"),
		8:  {target: "socket:[2]"},
		9:  {target: "/var/tmp/x/app.log"},
		10: {target: "/var/tmp/x/data.db"},
		11: {target: "/home/u/.cache/x (deleted)"},
		12: {target: "anon_inode:[timerfd]"},
	}))
	for _, tc := range []struct {
		name string
		opts []Option
		want []string
	}{
		{"none", nil, []string{"fd 7 pipe:[1] read end", "fd 8 socket:[2]", "fd 9 file /var/tmp/x/app.log", "fd 10 file /var/tmp/x/data.db", "fd 11 file /home/u/.cache/x (deleted)", "fd 12 anon_inode:[timerfd]"}},
		{"kinds", []Option{IgnoreFDKind(KindPipe, KindSocket), IgnoreFDKind(KindAnonInode)}, []string{"fd 9 file /var/tmp/x/app.log", "fd 10 file /var/tmp/x/data.db", "fd 11 file /home/u/.cache/x (deleted)"}},
		{"base name pattern", []Option{IgnoreFDPath("*.log")}, []string{"fd 7 pipe:[1] read end", "fd 8 socket:[2]", "fd 10 file /var/tmp/x/data.db", "fd 11 file /home/u/.cache/x (deleted)", "fd 12 anon_inode:[timerfd]"}},
		{"path patterns, '*' across '/'", []Option{IgnoreFDPath("/var/tmp/*", "/home/*/.cache/*")}, []string{"fd 7 pipe:[1] read end", "fd 8 socket:[2]", "fd 12 anon_inode:[timerfd]"}},
		{"targets of other kinds", []Option{IgnoreFDPath("socket:*", "anon_inode:[timerfd]")}, []string{"fd 7 pipe:[1] read end", "fd 9 file /var/tmp/x/app.log", "fd 10 file /var/tmp/x/data.db", "fd 11 file /home/u/.cache/x (deleted)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSystem{states: []fakeState{{fds: baseFDs()}, {fds: after}}}
			got := descs(leaksOf(t, sys, tc.opts...))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("leaks:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestIgnoreCurrentOption(t *testing.T) {
	// The option's own sample is a second baseline.
	sys := &fakeSystem{states: []fakeState{
		{fds: baseFDs()},
		{fds: with(baseFDs(), map[int]fakeFD{9: {target: "/tmp/shared"}, 10: {target: "/tmp/mine"}})},
	}}
	cfg := newConfig([]Option{MaxWait(0)})
	cfg.current = []*sample{{fds: []fdEntry{{9, "/tmp/shared"}}}}
	s, err := takeSnapshot(sys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	leaks, err := s.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := descs(leaks), []string{"fd 10 file /tmp/mine"}; !reflect.DeepEqual(got, want) {
		t.Errorf("leaks %q, want %q", got, want)
	}
}

func TestIOPipes(t *testing.T) {
	a := ioPipe{key: "a"}
	b := ioPipe{key: "b"}
	sys := &fakeSystem{states: []fakeState{
		{fds: baseFDs(), pipes: []ioPipe{a}},
		{fds: baseFDs(), pipes: []ioPipe{a, a, b}},
	}}
	got := leaksOf(t, sys)
	if len(got) != 2 || got[0].Kind != KindIOPipe || got[0].Desc != "io.Pipe writer never closed, a reader waits for EOF" {
		t.Errorf("leaks %+v, want two io.Pipes (one more a, one b)", got)
	}
	sys.reads = 0
	if got := leaksOf(t, sys, IgnoreFDKind(KindIOPipe)); len(got) != 0 {
		t.Errorf("IgnoreFDKind(KindIOPipe): leaks %+v", got)
	}
}

func TestLeaksWaitsForRaces(t *testing.T) {
	leak := fakeState{fds: with(baseFDs(), map[int]fakeFD{9: {target: "/tmp/x"}}), procs: []procEntry{{pid: 5, start: 1, state: 'Z', comm: "true"}}}
	// Gone on the fourth look: no leak, well within the budget.
	sys := &fakeSystem{states: []fakeState{{fds: baseFDs()}, leak, leak, leak, {fds: baseFDs()}}}
	s, err := takeSnapshot(sys, newConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	leaks, err := s.Leaks()
	if err != nil || leaks != nil {
		t.Fatalf("Leaks = %v, %v; want none", leaks, err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("took %v to see the leak go, want the first few backoff steps", d)
	}
	if sys.reads != 5 {
		t.Errorf("%d reads, want 5", sys.reads)
	}

	// Never gone: reported once the budget is spent, not much later.
	sys = &fakeSystem{states: []fakeState{{fds: baseFDs()}, leak}}
	s, err = takeSnapshot(sys, newConfig([]Option{MaxWait(80 * time.Millisecond)}))
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	leaks, err = s.Leaks()
	d := time.Since(start)
	if err != nil || len(leaks) != 2 {
		t.Fatalf("Leaks = %v, %v; want 2", leaks, err)
	}
	if d < 80*time.Millisecond || d > 300*time.Millisecond {
		t.Errorf("reported after %v, want about the 80ms budget", d)
	}
	if sys.reads < 5 {
		t.Errorf("%d reads in 80ms, want backoff polling", sys.reads)
	}

	// MaxWait(0): one look.
	sys = &fakeSystem{states: []fakeState{{fds: baseFDs()}, leak}}
	if got := leaksOf(t, sys); len(got) != 2 || sys.reads != 2 {
		t.Errorf("MaxWait(0): %d leaks after %d reads, want 2 after 2", len(got), sys.reads)
	}
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	sys := &fakeSystem{states: []fakeState{{failed: boom}}}
	if _, err := takeSnapshot(sys, newConfig(nil)); !errors.Is(err, boom) {
		t.Errorf("takeSnapshot error %v, want boom", err)
	}
	sys = &fakeSystem{states: []fakeState{{fds: baseFDs()}, {failed: boom}}}
	s, err := takeSnapshot(sys, newConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Leaks(); !errors.Is(err, boom) {
		t.Errorf("Leaks error %v, want boom", err)
	}
}

func TestFdinfoParsing(t *testing.T) {
	info := "pos:\t0\nflags:\t02004001\nmnt_id:\t16\nino:\t348997\n"
	if n, ok := fdinfoInt(info, "flags:", 8); !ok || n != 0o2004001 {
		t.Errorf("flags = %o, %v", n, ok)
	}
	if _, ok := fdinfoInt(info, "Pid:", 10); ok {
		t.Error("Pid found in a pipe's fdinfo")
	}
	ep := "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1038\n" +
		"tfd:        5 events: 8000201d data: 3fc17c150f000008  pos:0 ino:55345 sdev:f\n" +
		"tfd:       17 events:       19 data:           67d270  pos:0 ino:40e sdev:10\n"
	if got := epollTargets(ep); !reflect.DeepEqual(got, []int{5, 17}) {
		t.Errorf("epollTargets = %v", got)
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		kinds []Kind
		want  string
	}{
		{nil, "nothing"},
		{[]Kind{KindPipe}, "1 file descriptor"},
		{[]Kind{KindPipe, KindSocket}, "2 file descriptors"},
		{[]Kind{KindProcess}, "1 child process"},
		{[]Kind{KindPipe, KindFile, KindProcess}, "2 file descriptors and 1 child process"},
		{[]Kind{KindPipe, KindProcess, KindProcess, KindIOPipe}, "1 file descriptor, 2 child processes and 1 io.Pipe"},
	} {
		var leaks []Leak
		for _, k := range tc.kinds {
			leaks = append(leaks, Leak{Kind: k})
		}
		if got := summary(leaks); got != tc.want {
			t.Errorf("summary(%v) = %q, want %q", tc.kinds, got, tc.want)
		}
	}
}

func TestLeakString(t *testing.T) {
	o := &Origin{File: "/m/x/runner.go", Line: 41, Pos: "runner.go:41", API: "(*exec.Cmd).StdoutPipe"}
	for _, tc := range []struct {
		l    Leak
		want string
	}{
		{Leak{Kind: KindPipe, Desc: "fd 9 pipe:[81234] read end"}, "fd 9 pipe:[81234] read end"},
		{Leak{Kind: KindPipe, Desc: "fd 9 pipe:[81234] read end", Origin: o}, "fd 9 pipe:[81234] read end (opened at runner.go:41 by (*exec.Cmd).StdoutPipe)"},
		{Leak{Kind: KindProcess, Desc: `pid 4121 zombie "sh -c sleep 0"`, Origin: &Origin{Pos: "runner.go:44", API: "(*exec.Cmd).Start", Test: "TestRun"}}, `pid 4121 zombie "sh -c sleep 0" (started at runner.go:44 by (*exec.Cmd).Start in TestRun)`},
		{Leak{Kind: KindIOPipe, Desc: "io.Pipe writer never closed, a reader waits for EOF", Origin: &Origin{Pos: "copy.go:7", API: "io.Pipe"}}, "io.Pipe writer never closed, a reader waits for EOF (created at copy.go:7 by io.Pipe)"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("String() = %q\n want %q", got, tc.want)
		}
	}
	head := formatLeaks("TestRun leaked 1 file descriptor:", []Leak{{Kind: KindPipe, Desc: "fd 9 pipe:[1] read end"}}, true)
	if want := "TestRun leaked 1 file descriptor:\n\tfd 9 pipe:[1] read end\n\t(run the tests with `lifeguard test`"; !strings.HasPrefix(head, want) {
		t.Errorf("formatLeaks = %q, want it to start %q", head, want)
	}
}

func TestShortPos(t *testing.T) {
	for _, tc := range []struct{ dir, file, want string }{
		{"/m/x", "/m/x/runner.go", "runner.go:3"},
		{"/m/x", "/m/x/sub/runner.go", "sub/runner.go:3"},
		{"/m/x", "/m/y/runner.go", "/m/y/runner.go:3"},
		{"", "/m/y/runner.go", "/m/y/runner.go:3"},
	} {
		if got := shortPos(tc.dir, tc.file, 3); got != tc.want {
			t.Errorf("shortPos(%q, %q) = %q, want %q", tc.dir, tc.file, got, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "", true},
		{"", "x", false},
		{"*", "", true},
		{"*", "/a/b c", true},
		{"sleep *", "sleep 10", true},
		{"sleep *", "sleep", false},
		{"/var/*.log", "/var/a/b.log", true},
		{"/var/*.log", "/var/a/b.log.1", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*a*b*", "xxaxxbxx", true},
		{"*a*b", "xxaxxbxxc", false},
		{"pipe:[*]", "pipe:[81234]", true},
	} {
		if got := glob(tc.pattern, tc.name); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
