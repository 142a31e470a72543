package runtimecheck

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Kind says what a leak is. The values are those of the JSON records that
// runtimecheck writes for `lifeguard test`.
type Kind string

// The kinds of leak.
const (
	KindPipe      Kind = "pipe"       // an end of a pipe (os.Pipe, exec's StdoutPipe...)
	KindSocket    Kind = "socket"     // a network or unix socket
	KindFile      Kind = "file"       // a file, directory or device, by path
	KindAnonInode Kind = "anon_inode" // eventfd, timerfd, epoll, inotify... made by the test
	KindOtherFD   Kind = "other_fd"   // any other file descriptor (namespaces, ...)
	KindProcess   Kind = "process"    // a child process, zombie or still running
	KindIOPipe    Kind = "iopipe"     // an io.Pipe whose writer was never closed (lifeguard test only)
	KindGoroutine Kind = "goroutine"  // a goroutine os/exec started for a command never waited for
)

// IsFD reports whether k is a kind of file descriptor.
func (k Kind) IsFD() bool {
	switch k {
	case KindPipe, KindSocket, KindFile, KindAnonInode, KindOtherFD:
		return true
	}
	return false
}

// A Leak is one file descriptor, child process or io.Pipe that exists now
// and did not when the check started.
type Leak struct {
	Kind Kind
	FD   int // the descriptor for file descriptor kinds, -1 otherwise
	PID  int // the child's pid for KindProcess, 0 otherwise

	// Ancestor is, for a process this process did not start (a
	// descendant re-parented to it: see Descendants), the pid of the
	// child it descends from, when known; 0 otherwise.
	Ancestor int

	// Desc says what it is, without where it was made:
	// "fd 9 pipe:[81234] read end", "pid 4121 zombie [true]".
	Desc string

	// Origin is where it was made, when the test binary was built by
	// `lifeguard test`; nil otherwise.
	Origin *Origin
}

// Origin is where a leaked resource was made: the first stack frame in user
// code (not in the Go distribution, not in runtimecheck).
type Origin struct {
	File  string // absolute path
	Line  int
	API   string   // the standard library function that frame called: "(*exec.Cmd).StdoutPipe", "os.Pipe"
	Test  string   // the Test (Benchmark, Example, Fuzz) function in the stack, "" if none
	Pkg   string   // the package of that Test function, or of the frame when there is none
	Pos   string   // File:Line as shown to people: relative to the working directory when it is below it
	Stack []string // "function file:line", innermost first
}

// String is the leak as the reports show it:
// "fd 9 pipe:[81234] read end (opened at runner.go:41 by (*exec.Cmd).StdoutPipe)".
func (l Leak) String() string {
	if l.Origin == nil {
		return l.Desc
	}
	verb := "opened"
	switch l.Kind {
	case KindProcess:
		verb = "started"
	case KindIOPipe:
		verb = "created"
	case KindGoroutine:
		verb = "started"
	}
	if l.Ancestor > 0 {
		verb = "its ancestor started"
	}
	s := fmt.Sprintf("%s (%s at %s", l.Desc, verb, l.Origin.Pos)
	if l.Origin.API != "" {
		s += " by " + l.Origin.API
	}
	if l.Origin.Test != "" {
		s += " in " + l.Origin.Test
	}
	return s + ")"
}

// summary counts leaks the way the reports' first line does:
// "2 file descriptors, 1 child process and 1 io.Pipe".
func summary(leaks []Leak) string {
	var fds, procs, pipes, gors int
	for _, l := range leaks {
		switch {
		case l.Kind == KindProcess:
			procs++
		case l.Kind == KindIOPipe:
			pipes++
		case l.Kind == KindGoroutine:
			gors++
		default:
			fds++
		}
	}
	var parts []string
	if fds > 0 {
		parts = append(parts, plural(fds, "file descriptor", "file descriptors"))
	}
	if procs > 0 {
		parts = append(parts, plural(procs, "child process", "child processes"))
	}
	if pipes > 0 {
		parts = append(parts, plural(pipes, "io.Pipe", "io.Pipes"))
	}
	if gors > 0 {
		parts = append(parts, plural(gors, "os/exec goroutine", "os/exec goroutines"))
	}
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// formatLeaks writes one leak per line, each indented by a tab, after head.
func formatLeaks(head string, leaks []Leak, hint bool) string {
	var b strings.Builder
	b.WriteString(head)
	attributed := false
	for _, l := range leaks {
		b.WriteString("\n\t")
		b.WriteString(l.String())
		if l.Origin != nil {
			attributed = true
		}
	}
	if hint && !attributed && !traceEnabled {
		b.WriteString("\n\t(run the tests with `lifeguard test` to see the line that made each one)")
	}
	return b.String()
}

// shortPos is file:line relative to dir when file is below it, else the
// absolute path.
func shortPos(dir, file string, line int) string {
	f := file
	if dir != "" {
		if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			f = rel
		}
	}
	return fmt.Sprintf("%s:%d", f, line)
}
