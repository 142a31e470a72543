package runtimecheck

import "time"

// DefaultMaxWait is the total time a check waits, polling with backoff, for
// leaks to go away before it reports them.
const DefaultMaxWait = 500 * time.Millisecond

// An Option changes what a check ignores or how long it waits.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	ignoreKinds map[Kind]bool
	ignorePaths []string
	ignoreProcs []string
	maxWait     time.Duration
	current     []*sample // from IgnoreCurrent
	descendants bool      // Descendants: be a child subreaper
}

func newConfig(opts []Option) *config {
	// Under lifeguard test every check sees descendants.
	c := &config{maxWait: DefaultMaxWait, descendants: traceEnabled}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

// IgnoreFDKind ignores every leaked file descriptor of the given kinds
// (KindPipe, KindSocket, KindFile, KindAnonInode, KindOtherFD). KindIOPipe
// ignores leaked io.Pipes, KindGoroutine the goroutines of os/exec. KindProcess is not a file descriptor kind: use
// IgnoreProcess.
func IgnoreFDKind(kinds ...Kind) Option {
	return optionFunc(func(c *config) {
		if c.ignoreKinds == nil {
			c.ignoreKinds = make(map[Kind]bool)
		}
		for _, k := range kinds {
			c.ignoreKinds[k] = true
		}
	})
}

// IgnoreFDPath ignores leaked file descriptors whose target matches one of
// the patterns. The target is what /proc/self/fd/N links to: the path of a
// file or directory, or "pipe:[INODE]", "socket:[INODE]",
// "anon_inode:[eventfd]". In a pattern, '*' matches any run of characters,
// '/' included, and '?' any one character; a pattern without '/' is also
// matched against the base name, so "*.log" matches /var/tmp/x/app.log.
func IgnoreFDPath(patterns ...string) Option {
	return optionFunc(func(c *config) {
		c.ignorePaths = append(c.ignorePaths, patterns...)
	})
}

// IgnoreProcess ignores leaked child processes whose command matches one of
// the patterns, with the same syntax as IgnoreFDPath. A pattern is matched
// against the command line (arguments joined by spaces, as the child was
// started: "sleep 10"), against it with the program's directory dropped
// ("/usr/bin/sleep 10" matched as "sleep 10" too), and against the kernel's
// command name (all a zombie still has: "sleep").
func IgnoreProcess(patterns ...string) Option {
	return optionFunc(func(c *config) {
		c.ignoreProcs = append(c.ignoreProcs, patterns...)
	})
}

// MaxWait sets the total time a check waits for leaks to go away before
// reporting them (DefaultMaxWait when not given). The check polls with
// backoff, from 100µs up to 100ms between looks, so a check that finds
// nothing costs no waiting at all. MaxWait(0) looks once.
func MaxWait(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d < 0 {
			d = 0
		}
		c.maxWait = d
	})
}

// IgnoreCurrent ignores the file descriptors and child processes that exist
// when IgnoreCurrent is called, in every check that is given the option, as
// goleak's option of the same name does for goroutines. Check,
// VerifyTestMain and TakeSnapshot already ignore what exists when they
// start, so IgnoreCurrent only changes anything when the option is made
// later than the check's baseline: after TakeSnapshot, say, once shared
// fixtures meant to outlive the check are up.
func IgnoreCurrent() Option {
	s, err := defaultSystem.read()
	return optionFunc(func(c *config) {
		if err == nil {
			c.current = append(c.current, s)
		}
	})
}

// Descendants makes the test process a child subreaper on Linux
// (prctl(PR_SET_CHILD_SUBREAPER)) when the check starts, so that a
// grandchild orphaned by its parent's exit (a shell killed by a
// CommandContext's cancel while its background job runs on) is
// re-parented to the test process and reported as a leaked running
// process. A descendant that has exited is not a leak: it is reaped
// without a report. The setting is the process's, and stays once made.
// Under lifeguard test it is always on. Elsewhere than on Linux it does
// nothing.
func Descendants() Option {
	return optionFunc(func(c *config) { c.descendants = true })
}
