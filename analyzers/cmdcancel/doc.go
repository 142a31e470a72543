// Package cmdcancel reports commands that a cancel or a kill does not end.
//
// # Analyzer cmdcancel
//
// cmdcancel: report cancelled or killed commands whose children outlive the kill and keep Wait waiting
//
// exec.CommandContext, a Cancel func and Process.Kill or Signal reach one
// process: the command's direct child. When that child is a shell running
// a script, or a command line the code did not choose, it may have started
// children of its own; they inherit the command's stdout and stderr, so
// when those are not *os.File values (a bytes.Buffer, Output,
// CombinedOutput, a pipe read to EOF) the goroutine os/exec copies them
// with, and Wait, Run or Output after it, wait until the last child exits:
// long after the timeout (golang/go#23019). And the children run on after
// the kill: a make keeps building, a probe keeps probing.
//
// The rules are about a command whose program may start children: a shell
// (sh, bash, dash, zsh, ksh, ash by base name, os.Getenv("SHELL"), or a
// parameter, global or field named shell) given -c and a script that is
// not a constant, or a constant of more than one command (;, &, |, a
// newline, $( or a backquote: a shell execs a lone simple command in its
// own place, and then the kill reaches it); or element 0 of a []string
// the code did not fill with constants (a hook's, a user's or a CI step's
// command line). A tool named by a constant or by one configured string
// (git, s.FFmpeg) is not: its children rarely hold its pipes. The
// -spawners flag names programs that do (make, npm, a wrapper script).
// "Cancelled or killed" is exec.CommandContext with a context that can be
// done, or Process.Kill, Process.Signal or syscall.Kill of its pid, in the
// function, in a Cancel func, in a closure, in a helper (through facts) or
// in a method of the type keeping the command in a field.
//
// It reports:
//
//   - such a command killed without a kill of its process group
//     (SysProcAttr.Setpgid or Setsid, and syscall.Kill(-pid, sig) in Cancel
//     or by hand): at the exec.Command or CommandContext call when its
//     output is not an *os.File and WaitDelay is not set (Wait can hang:
//     the message names both fixes, WaitDelay and the group kill, and a
//     suggested fix sets cmd.WaitDelay to a named constant for a
//     CommandContext command), or when the default Cancel of
//     CommandContext does the kill; else at the kill. With a group kill
//     the children die with the shell and release the pipes: not reported;
//   - a kill of the child alone (Process.Kill or Signal, a Cancel that
//     signals cmd.Process) of a command that SysProcAttr.Setpgid or Setsid
//     made a group leader, whatever its program: the rest of the group runs
//     on; at the kill;
//   - syscall.Kill(-pid, …) of a command started without Setpgid or Setsid
//     (no SysProcAttr at all): there is no such group, the kill fails with
//     ESRCH and nothing is killed; at the kill.
//
// One finding per command. A command handed to code that may set it up or
// kill it (a function without facts, a field whose command escapes) before
// it runs is not checked. A pid given to another function (a tree killer,
// taskkill /T) or a Cancel that calls one may kill the group: not reported.
// Facts: a helper that sets WaitDelay, SysProcAttr, Cancel or the output of
// its *exec.Cmd parameter, or kills its group; a factory's command, with
// its program and setup.
//
// A finding is suppressed by //lifeguard:ignore cmdcancel <reason> on its
// line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:cmdcancel or
// //nolint:lifeguard. Findings in generated files are dropped.
//
// The flag -cmdcancel.spawners=make,npm,run-hooks.sh names further programs
// (by base name) that start children of their own, checked like a shell
// given a script; -cmdcancel=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/cmdcancel.md.
package cmdcancel

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer cmdcancel" section above.
var doc = analyzerdoc.Extract(docSource, "cmdcancel")
