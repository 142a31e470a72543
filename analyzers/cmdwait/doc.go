// Package cmdwait reports child processes that are never reaped.
//
// # Analyzer cmdwait
//
// cmdwait: report child processes that are started, killed or signalled but never reaped with Wait
//
// A child process started with (*exec.Cmd).Start or os.StartProcess stays in
// the process table as a zombie until its parent waits for it, and the pipes
// and goroutines os/exec set up for it are released only by (*exec.Cmd).Wait.
// cmdwait checks each command a function creates (exec.Command,
// exec.CommandContext, a same-named wrapper such as execabs's, an exec.Cmd
// literal or variable) and each process os.StartProcess returns, and
// reports:
//
//   - Start succeeding on a path that returns without Wait, or that goes
//     round a loop to the command's next creation, at the Start call. The
//     error path of Start is not a leak (Start cleans up when it fails), nor
//     is a second Start of a command already started (it fails);
//   - Process.Kill or Process.Signal with no Wait on some path after it, at
//     that call; Signal(syscall.Signal(0)), the liveness probe, is not a
//     kill, and neither is a kill of a process waited for on every path to
//     it;
//   - a command kept in an unexported struct field that the package starts
//     (s.cmd.Start(), or a local command started and then stored in the
//     field) when no function of the package waits for that field's
//     command (per field: another type's Wait changes nothing), at the
//     Start; when nothing in the package starts it, its Kill or Signal is
//     reported instead (for an *os.Process field, only when it holds a
//     child: os.StartProcess's process or a command's Process, not
//     os.FindProcess's). A field whose command escapes (returned, given to
//     a function that may keep it, its address taken) is not checked;
//   - a command from a factory (a function or method, of this package or
//     another, whose facts say it returns an *exec.Cmd it made, started or
//     not, with or without the pipes it took) is checked at its caller as
//     if made at the call: a factory that started it is a Start at the
//     call ("startCmd starts a command that is not waited for on the path
//     returning at x.go:N"), an unstarted one (a git wrapper's
//     r.git(args...)) is checked from the caller's own Start;
//   - a helper that starts (or kills) the command it is given and leaves
//     it running (startInForeground(cmd): the fact says "starts parameter
//     i", not "takes it over") is a Start (or Kill) at its call site, and
//     the helper itself is not reported; a function given a command that
//     waits for it on some path has taken its lifecycle on, and its own
//     paths are checked like a local command's;
//   - os.StartProcess without Wait on the returned *os.Process on some path
//     (Release does not reap on Unix), at the os.StartProcess call;
//   - cmd.Process.Wait() instead of cmd.Wait() after cmd.Start(), at the
//     Process.Wait call, when the command has something only cmd.Wait
//     cleans up: made by CommandContext, a StdoutPipe, StderrPipe or
//     StdinPipe taken, a Stdin, Stdout or Stderr that is not an *os.File
//     (copied by a goroutine), or Cancel or WaitDelay set (for a
//     parameter, only what the function itself does to it is known); a
//     Process.Wait in a goroutine (go func() { cmd.Process.Wait() }()) is
//     a Process.Wait all the same;
//   - defer cmd.Process.Kill() is a kill that runs as the function
//     returns: it does not stop the Start check, and is reported itself
//     (when the Start is not) on a path with no Wait after it, unless a
//     Wait was deferred before it;
//   - Wait after Run, Output or CombinedOutput of the same command (they
//     already waited, so Wait only fails), at the Wait call.
//   - a child abandoned on a timeout: Run, Output, CombinedOutput or Wait
//     runs in a goroutine that then signals a channel, and the function
//     selects on it and returns on a timeout (time.After, time.Tick, a
//     Timer's or Ticker's C) or a context's Done without killing the child
//     (Process.Kill or Signal, syscall.Kill of its pid, a helper given it, a
//     deferred kill, a receive from the channel after all), at the Run,
//     Output or CombinedOutput call, or at the Start before a goroutine that
//     Waits. With exec.CommandContext, returning on the Done of the
//     command's context or a parent, a deadline on it or its cancel on the
//     way out kills the child: not a finding. Commands given to the function
//     or handed off are their owner's to kill;
//   - syscall.ForkExec or syscall.StartProcess whose pid reaches no
//     syscall.Wait4, unix.Wait4, unix.Waitid(P_PID, pid) or os.FindProcess
//     and Wait on some path after a successful fork, at the fork call;
//     syscall.Kill does not reap. A fork whose results are all unused is a
//     probe, not checked. A pid handed off (returned, stored, sent,
//     captured, given to a function other than Kill, Setpgid, Ptrace* or
//     a formatter) ends tracking, and a
//     package that reaps any child (Wait4 with pid -1, 0 or below; Waitid
//     other than P_PID) is not checked: its reaper reaps these children.
//
// Two findings carry suggested fixes, offered only where the rewrite keeps
// the meaning: cmd.Process.Wait() becomes cmd.Wait() when its error is
// discarded (a kept ProcessState is read from cmd.ProcessState), and a Wait
// after Run whose result is unused, or only returned when not nil, is
// removed when Run precedes it on every path and no Start reaches it.
//
// Each message names where the leaking path ends ("on the path returning
// at file.go:N", "before the next loop iteration at file.go:N"), also
// given as related information. Returning from main.main is not a leak: the
// orphan is re-parented to init, which reaps it. Paths that already failed
// the test (t.Error, t.Errorf, t.Fail) and calls that never return
// (os.Exit, log.Fatal, panic, t.FailNow, the package's own functions that
// cannot return) end no leak.
//
// Run, Output or CombinedOutput of a command that may already be started
// is not a Wait: it fails with "exec: already started".
//
// A Wait counts wherever it runs: directly, deferred (defer cmd.Wait(),
// registered before or after Start), in a goroutine (go cmd.Wait(), go
// func() { done <- cmd.Wait() }()), or in a helper. Helpers are known
// through facts: a function, in this package or another, that waits for
// its *exec.Cmd or *os.Process parameter on every path is a Wait at its
// call sites; one that only looks at it borrows it, and tracking goes on
// after the call.
//
// Ownership ends tracking: a command that is returned, stored in a field,
// global, map or slice, sent on a channel, captured by a closure or passed to
// a function that is not known to only borrow it is someone else's to reap.
//
// A finding is suppressed by //lifeguard:ignore cmdwait <reason> on its line
// or the line above (the reason is required; a directive that suppresses
// nothing is reported), or by //nolint:cmdwait or //nolint:lifeguard.
// Findings in generated files are dropped.
//
// The flag -cmdwait.wait-funcs=pkg/path.Func,(*pkg/path.T).Method names
// further functions that wait for every *exec.Cmd or *os.Process argument,
// for code cmdwait cannot see into; -cmdwait=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/cmdwait.md.
package cmdwait

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer cmdwait" section above.
var doc = analyzerdoc.Extract(docSource, "cmdwait")
