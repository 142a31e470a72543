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
//   - Wait before the reads of a pipe complete, or go cmd.Wait() racing the
//     reader, at the Wait call;
//   - stdout and stderr both read to EOF one after the other in one goroutine
//     (deadlock once the other pipe fills), at the first read;
//   - a StdinPipe not closed on some path to Wait, at the StdinPipe call;
//   - an os.Pipe write end given to a child and kept open in the parent, and
//     an io.Pipe writer that is never closed, at the os.Pipe / io.Pipe call.
package pipedrain
