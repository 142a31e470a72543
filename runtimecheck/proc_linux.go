package runtimecheck

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"unsafe"
)

// procfs reads /proc with raw system calls: no *os.File (so nothing for the
// overlay's hooks to record, no poller registration) and no allocation per
// directory entry beyond the names.
type procfs struct {
	pid int
}

var defaultSystem system = procfs{pid: os.Getpid()}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 8192); return &b }}

func (p procfs) read() (*sample, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	s := new(sample)

	names, dirfd, err := readDir("/proc/self/fd", buf)
	if err != nil {
		return nil, fmt.Errorf("list file descriptors: %w", err)
	}
	link := make([]byte, 0, 32)
	for _, name := range names {
		fd, err := strconv.Atoi(name)
		if err != nil || fd == dirfd {
			continue
		}
		n, err := readlink(append(append(link[:0], "/proc/self/fd/"...), name...), buf)
		if err != nil {
			continue // closed since the listing
		}
		s.fds = append(s.fds, fdEntry{fd: fd, target: string(buf[:n])})
	}
	sortFDs(s.fds)

	s.gors = execGoroutines()
	if !hasChildren() {
		s.ioPipes = traceIOPipes()
		return s, nil
	}
	s.subreaper = isSubreaper()
	s.pgrp = syscall.Getpgrp()
	if s.subreaper {
		// Under lifeguard test: note the live descendants of each child
		// started, while they still descend from it.
		traceScanDescendants()
	}
	names, _, err = readDir("/proc", buf)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	stat := make([]byte, 0, 32)
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		stat = append(append(append(stat[:0], "/proc/"...), name...), "/stat"...)
		n, err := readFile(stat, buf)
		if err != nil {
			continue // gone since the listing
		}
		e, ppid, ok := parseStat(buf[:n])
		if ok && ppid == p.pid {
			s.procs = append(s.procs, e)
		}
	}
	sortProcs(s.procs)
	s.ioPipes = traceIOPipes()
	return s, nil
}

func (procfs) fdinfo(fd int) string {
	b, err := readAll("/proc/self/fdinfo/" + strconv.Itoa(fd))
	if err != nil {
		return ""
	}
	return string(b)
}

// readAll reads a whole /proc file, which has no size to stat.
func readAll(path string) ([]byte, error) {
	for size := 8192; ; size *= 4 {
		buf := make([]byte, size)
		n, err := readFile([]byte(path), buf)
		if err != nil {
			return nil, err
		}
		if n < size {
			return buf[:n], nil
		}
	}
}

func (procfs) cmdline(pid int) []string {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	n, err := readFile([]byte("/proc/"+strconv.Itoa(pid)+"/cmdline"), *bp)
	if err != nil || n == 0 {
		return nil
	}
	var args []string
	for a := range bytes.SplitSeq(bytes.TrimSuffix((*bp)[:n], []byte{0}), []byte{0}) {
		args = append(args, string(a))
	}
	return args
}

func (procfs) socket(inode uint64) string {
	return lookupSocket(inode, func(name string) ([]byte, error) {
		return readAll("/proc/self/net/" + name)
	})
}

// hasChildren reports whether this process has any child, zombies
// included, without reaping any: waitid(P_ALL) with WNOHANG and WNOWAIT
// fails with ECHILD only when there is none. It saves the scan of every
// process's /proc/PID/stat in the usual case of a test with no children.
// WNOWAIT leaves every child waitable: os/exec still gets each exit
// status.
func hasChildren() bool {
	const (
		pAll    = 0
		wNoWait = 0x01000000
		wAll    = 0x40000000 // __WALL: children of any exit signal
	)
	var info [128]byte // siginfo_t
	_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pAll, 0, uintptr(unsafe.Pointer(&info)),
		syscall.WEXITED|syscall.WSTOPPED|syscall.WCONTINUED|syscall.WNOHANG|wNoWait|wAll, 0, 0)
	return errno != syscall.ECHILD
}

// reap waits for pid, a zombie descendant that nothing else waits for.
func (procfs) reap(pid int) {
	var ws syscall.WaitStatus
	retry(func() (int, error) { return syscall.Wait4(pid, &ws, syscall.WNOHANG, nil) })
}

const (
	prSetChildSubreaper = 36
	prGetChildSubreaper = 37
)

// enableSubreaper makes this process a child subreaper
// (prctl(PR_SET_CHILD_SUBREAPER)): a descendant orphaned by the exit of
// its parent is re-parented to it rather than to init, so that it is
// among the children a check sees.
func enableSubreaper() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return errno
	}
	return nil
}

func isSubreaper() bool {
	var v int32
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prGetChildSubreaper, uintptr(unsafe.Pointer(&v)), 0)
	return errno == 0 && v != 0
}

// parseStat reads /proc/PID/stat: "pid (comm) state ppid ... starttime ...".
// comm may hold spaces and parentheses, so the fields are counted after the
// last ')'.
func parseStat(b []byte) (procEntry, int, bool) {
	open := bytes.IndexByte(b, '(')
	close := bytes.LastIndexByte(b, ')')
	if open < 0 || close < open {
		return procEntry{}, 0, false
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return procEntry{}, 0, false
	}
	e := procEntry{pid: pid, comm: string(b[open+1 : close])}
	// Fields after ')': state(3) ppid(4) ... starttime(22).
	var ppid int
	field := 3
	for f := range bytes.FieldsSeq(b[close+1:]) {
		switch field {
		case 3:
			e.state = f[0]
		case 4:
			ppid, err = strconv.Atoi(string(f))
			if err != nil {
				return procEntry{}, 0, false
			}
		case 5:
			e.pgrp, err = strconv.Atoi(string(f))
			if err != nil {
				return procEntry{}, 0, false
			}
		case 22:
			e.start, err = strconv.ParseUint(string(f), 10, 64)
			if err != nil {
				return procEntry{}, 0, false
			}
			return e, ppid, true
		}
		field++
	}
	return procEntry{}, 0, false
}

// readDir lists a directory and returns the descriptor it used for that,
// already closed.
func readDir(path string, buf []byte) ([]string, int, error) {
	fd, err := retry(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, -1, err
	}
	defer syscall.Close(fd)
	var names []string
	for {
		n, err := retry(func() (int, error) { return syscall.ReadDirent(fd, buf) })
		if err != nil {
			return nil, fd, err
		}
		if n <= 0 {
			return names, fd, nil
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}

func readFile(path []byte, buf []byte) (int, error) {
	fd, err := retry(func() (int, error) {
		return syscall.Open(string(path), syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return 0, err
	}
	defer syscall.Close(fd)
	total := 0
	for total < len(buf) {
		n, err := retry(func() (int, error) { return syscall.Read(fd, buf[total:]) })
		if err != nil {
			return 0, err
		}
		if n == 0 {
			break
		}
		total += n
	}
	return total, nil
}

func readlink(path []byte, buf []byte) (int, error) {
	return retry(func() (int, error) { return syscall.Readlink(string(path), buf) })
}

func retry(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if !errors.Is(err, syscall.EINTR) {
			return n, err
		}
	}
}
