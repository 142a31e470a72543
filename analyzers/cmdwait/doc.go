// Package cmdwait reports child processes that are never reaped.
//
// A child process started with (*exec.Cmd).Start or os.StartProcess stays in
// the process table as a zombie until its parent waits for it, and the pipes
// and goroutines os/exec set up for it are released only by (*exec.Cmd).Wait.
// cmdwait reports:
//
//   - Start succeeding on a path that returns without Wait (error paths
//     included), at the Start call;
//   - Process.Kill or Process.Signal with no Wait after it, at that call; for
//     a command kept in an unexported struct field (killed in a Stop method),
//     when nothing in the package can wait for it;
//   - os.StartProcess without Wait (Release does not reap on Unix), at the call;
//   - cmd.Process.Wait() instead of cmd.Wait() after cmd.Start(), when the
//     command has copy goroutines, pipes or a context to clean up, at the
//     Process.Wait call;
//   - Wait after Run, Output or CombinedOutput (they already waited), at Wait.
//
// Returning from main.main is not a leak: the orphan is re-parented to init,
// which reaps it. Paths that already failed the test (t.Error, t.Fatal) and
// calls that never return (os.Exit, log.Fatal, panic) end no leak.
//
// Ownership ends tracking: a command that is returned, stored in a field,
// global, map or slice, sent on a channel, captured by a closure or passed to
// a function that is not known to only borrow it is someone else's to reap.
package cmdwait
