// Package pipedrain reports misuse of the pipes made by (*exec.Cmd).StdoutPipe,
// StderrPipe and StdinPipe, os.Pipe and io.Pipe.
//
// # Analyzer pipedrain
//
// pipedrain: report exec, os and io pipes that are never drained or closed, read after Wait, or read one after the other
//
// A pipe holds 64 KiB on Linux. A child writing more than that to a pipe nobody
// reads blocks forever, and so does the parent's Wait; a reader waiting for EOF
// on a pipe whose write end is still open anywhere never returns; and
// (*exec.Cmd).Wait closes the parent's ends of the pipes it made, so a read
// after or during Wait loses output. For each command a function creates or
// receives as a parameter, and each os.Pipe and io.Pipe it makes, pipedrain
// reports:
//
//   - a stdout or stderr pipe that is never read, closed or handed off, or
//     that some path from it to Wait does not read, at the
//     StdoutPipe/StderrPipe call;
//   - Run, Output or CombinedOutput reachable after a pipe was taken, at
//     that call;
//   - Wait with a read of the pipe still reachable after it in the same
//     goroutine, or Wait not preceded by anything that waits for the
//     goroutine draining the pipe (a channel receive, a blocking select, a
//     Wait or Lock of something else: sync.WaitGroup, errgroup.Group, a
//     mutex), at the Wait call;
//   - a stdout or stderr pipe read only partly (one line, a rune, a
//     buffer, io.ReadFull, io.CopyN, io.LimitReader, a scan loop left by a
//     break, a decoder's error branch) and then neither read to EOF nor
//     closed before Wait (or a deferred Wait) on some path, at the Wait: a child with more to
//     write than the 64 KiB pipe buffer blocks, and Wait never returns. The
//     branches on which a read reports EOF or an error are not searched;
//     a decoder that read its one value (the child's whole result) leaves
//     the pipe empty;
//   - go cmd.Wait(), or a goroutine calling Wait, with a read of the pipe to
//     EOF, or a decoder's read of a value or record (Decode, csv Read,
//     ReadString, ReadBytes), after the go statement, at the go statement
//     (a scanner reading a long-running child's handshake line does not
//     race it);
//   - stdout and stderr both read to EOF (io.ReadAll, io.Copy, a scanner
//     loop, a function that drains its argument) one after the other in one
//     goroutine, deadlocking once the other pipe fills, at the first read;
//   - io.MultiReader given the stdout and the stderr pipe of one command,
//     the same sequential read, at the MultiReader call (the pipes of two
//     different children, or a pipe and a buffer, are not: each child runs
//     to its end without the other's reader);
//   - a StdinPipe not closed (or handed off) on some path to Wait, Run,
//     Output or CombinedOutput, at the StdinPipe call; a deferred Close runs
//     after Wait and does not count;
//   - an os.Pipe whose write end is given to a child (Stdin, Stdout, Stderr
//     or ExtraFiles) and still open in the parent when the parent reads the
//     read end after Start, or whose read end nobody reads, closes or hands
//     off, at the os.Pipe call;
//   - an io.Pipe writer never closed (Close, CloseWithError) nor handed off
//     while its reader reads to EOF, at the io.Pipe call.
//
// A factory, a function or method in this package or another that makes an
// *exec.Cmd (started or not) and returns it with pipes it took
// (func startCmd(name string) (*exec.Cmd, io.ReadCloser, io.ReadCloser,
// error)), is known by its facts: at each call, the pipes it returns are
// checked by every rule above as if taken at the call, the message naming
// the factory and the result ("stdout pipe of cmd returned by startCmd
// (result 1)"), and the command it returns is their command, whose Wait,
// Run, Output and kills count. Run or Output on a command an unstarted
// factory took a pipe of is reported at the Run. A factory that keeps the
// pipe elsewhere, drains or closes it itself, or returns only the
// command, gives its callers no pipe to check; a pipe result the caller
// discards (_) is not tracked either.
//
// Each message names the other position it is about (the Wait, the read,
// the Run), also given as related information. The error path of the call
// that made a pipe is not searched, and a pipe call whose results are all
// discarded (taken for its side effect) is not tracked.
//
// Reading through a wrapper counts as reading the pipe it wraps
// (bufio.Scanner and Reader; json, xml, gob, base64 and hex decoders; csv,
// gzip, zlib, tar, multipart and textproto readers; io.TeeReader,
// LimitReader, NopCloser, MultiReader). Helpers are known through facts: a
// function, in this package or another, that reads, drains or closes its
// parameter does so at its call sites; one that only borrows it leaves the
// caller responsible.
//
// Ownership ends tracking: a pipe end returned, stored, sent, captured by a
// closure that is not run here, or passed to a function not known to only
// borrow it is someone else's to read and close. A pipe end stored into a
// command's Stdin is read by that child: the pipeline idiom
// b.Stdin, _ = a.StdoutPipe() hands a's stdout to b. Ownership is
// flow-sensitive: a hand-off is a hand-off from where it runs, and a path
// to Wait that runs before it is still searched. A path that kills the
// child before Wait (Process.Kill, Process.Signal, or the cancel function
// of the context an exec.CommandContext command was made with, or of its
// parent, or of a context given to the factory the command comes from)
// needs no read and no close of stdin: the child exits with its
// output unwritten.
//
// A finding is suppressed by //lifeguard:ignore pipedrain <reason> on its
// line or the line above (the reason is required; a directive that
// suppresses nothing is reported), or by //nolint:pipedrain or
// //nolint:lifeguard. Findings in generated files are dropped.
//
// The flags -pipedrain.drain-funcs and -pipedrain.close-funcs
// (pkg/path.Func,(*pkg/path.T).Method) name further functions that read
// every reader argument to EOF and that close every pipe argument, for code
// pipedrain cannot see into; -pipedrain=false turns the analyzer off.
//
// See https://github.com/lifeguard-go/lifeguard/blob/main/docs/pipedrain.md.
package pipedrain

import (
	_ "embed"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

//go:embed doc.go
var docSource string

// doc is the Analyzer's Doc: the "# Analyzer pipedrain" section above.
var doc = analyzerdoc.Extract(docSource, "pipedrain")
