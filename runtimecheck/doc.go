// Package runtimecheck finds, at test time, the file descriptors and child
// processes a test leaves behind: pipes never closed, sockets and files left
// open, children started and never waited for (zombies) or still running.
//
// Use Check at the start of a test, or VerifyTestMain in TestMain to check a
// whole package's tests at once:
//
//	func TestRun(t *testing.T) {
//		runtimecheck.Check(t)
//		...
//	}
//
//	func TestMain(m *testing.M) {
//		runtimecheck.VerifyTestMain(m)
//	}
//
// Both take a baseline first and compare with it at the end, waiting up to
// MaxWait (half a second by default) for what is legitimately racy (a child
// that exits just before a goroutine waits for it, a deferred Close) to
// settle. What the Go runtime and the testing package keep open for
// themselves is never reported.
//
// The implementation reads /proc and works on Linux. On other systems every
// check says that it cannot verify there and passes.
//
// Built by `lifeguard test` (build tag lifeguard_trace, with an overlay of the
// standard library that records where each file descriptor, io.Pipe and child
// process was made), every leak also carries the file:line in user code that
// made it; see docs/runtimecheck.md.
package runtimecheck
