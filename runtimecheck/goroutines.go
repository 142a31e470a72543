package runtimecheck

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// A goroutine is one that os/exec started for a command: the context
// watcher ((*Cmd).watchCtx) and the copiers of Stdin, Stdout and Stderr,
// which (*Cmd).Start starts and only (*Cmd).Wait waits for. A command
// reaped with cmd.Process.Wait, or never waited for, leaves them behind:
// a copier blocks until the last holder of the pipe's write end exits, the
// watcher until the context is done.
type goroutine struct {
	id    uint64
	state string // "select", "IO wait", ...
	fn    string // the innermost os/exec function in its stack
}

// execCreator is the function that starts every goroutine os/exec owns,
// as tracebacks name it.
const execCreator = "created by os/exec.(*Cmd).Start"

var stackPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// execGoroutines lists the goroutines os/exec started, by reading every
// goroutine's stack (runtime.Stack stops the world for it, as goleak
// does). Only goroutines that os/exec created count: the test's own
// goroutines never do.
func execGoroutines() []goroutine {
	bp := stackPool.Get().(*[]byte)
	defer stackPool.Put(bp)
	for {
		n := runtime.Stack(*bp, true)
		if n < len(*bp) {
			return parseExecGoroutines((*bp)[:n])
		}
		*bp = make([]byte, 2*len(*bp))
	}
}

// parseExecGoroutines reads a runtime.Stack(all) dump.
func parseExecGoroutines(dump []byte) []goroutine {
	var list []goroutine
	for len(dump) > 0 {
		var block []byte
		if i := bytes.Index(dump, []byte("\n\n")); i >= 0 {
			block, dump = dump[:i], dump[i+2:]
		} else {
			block, dump = dump, nil
		}
		if !bytes.Contains(block, []byte(execCreator)) {
			continue
		}
		head, rest, _ := bytes.Cut(block, []byte("\n"))
		g, ok := parseGoroutineHead(string(head))
		if !ok {
			continue
		}
		for line := range strings.Lines(string(rest)) {
			if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by ") {
				continue
			}
			fn := strings.TrimSpace(line)
			if i := strings.LastIndexByte(fn, '('); i > 0 && strings.HasSuffix(fn, ")") {
				fn = fn[:i] // the arguments
			}
			if strings.HasPrefix(fn, "os/exec.") {
				g.fn = fn
				break
			}
		}
		list = append(list, g)
	}
	return list
}

// parseGoroutineHead reads "goroutine 42 [select, 2 minutes]:".
func parseGoroutineHead(s string) (goroutine, bool) {
	rest, ok := strings.CutPrefix(s, "goroutine ")
	if !ok {
		return goroutine{}, false
	}
	num, state, ok := strings.Cut(rest, " [")
	if !ok {
		return goroutine{}, false
	}
	id, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return goroutine{}, false
	}
	state, _, _ = strings.Cut(strings.TrimSuffix(state, "]:"), ",")
	return goroutine{id: id, state: state}, true
}

// describe says what the goroutine is, for a leak's Desc:
// "goroutine 42 [IO wait] (*exec.Cmd).writerDescriptor.func1: copies the command's output to its Writer".
func (g goroutine) describe() string {
	s := "goroutine " + strconv.FormatUint(g.id, 10) + " [" + g.state + "]"
	if g.fn == "" {
		return s + " started by (*exec.Cmd).Start"
	}
	s += " " + apiName(g.fn)
	switch {
	case strings.Contains(g.fn, ".watchCtx"):
		s += ": watches the command's context for a Wait that never comes"
	case strings.Contains(g.fn, ".writerDescriptor."):
		s += ": copies the command's output to its Writer"
	case strings.Contains(g.fn, ".childStdin."):
		s += ": copies Stdin to the command"
	}
	return s
}
