// Package pipedrain reports misuse of the pipes made by (*exec.Cmd).StdoutPipe,
// StderrPipe and StdinPipe, os.Pipe and io.Pipe.
//
// A pipe holds 64 KiB on Linux. A child writing more than that to a pipe nobody
// reads blocks forever, and so does the parent's Wait; a reader waiting for EOF
// on a pipe whose write end is still open anywhere never returns. pipedrain
// reports:
//
//   - a stdout or stderr pipe that is never read, closed or handed off, or not
//     on the path to Wait, at the StdoutPipe/StderrPipe call;
//   - Run, Output or CombinedOutput after a pipe was taken, at that call;
//   - Wait before the reads of a pipe complete, Wait not waiting for the
//     goroutine that reads, or go cmd.Wait() (or a goroutine calling Wait)
//     racing the reader, at the Wait call or go statement;
//   - stdout and stderr both read to EOF one after the other in one goroutine
//     (deadlock once the other pipe fills), at the first read;
//   - a StdinPipe not closed on some path to Wait, at the StdinPipe call;
//   - an os.Pipe write end given to a child and kept open in the parent while
//     the parent reads the read end, or a read end nobody reads, and an
//     io.Pipe writer never closed while its reader waits for EOF, at the
//     os.Pipe / io.Pipe call.
//
// Ownership ends tracking: a pipe end returned, stored, sent, captured by a
// closure that is not run here, or passed to a function not known to only
// borrow it is someone else's to read and close.
package pipedrain
