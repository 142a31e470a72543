//go:build lifeguard_trace

package runtimecheck

// Built by `lifeguard test`: the overlay of the standard library (see the
// contract in docs/runtimecheck.md) records the stack of every descriptor
// os and net make, of every started process and of every io.Pipe. This file
// only reads those records; attribute (attrib.go) turns stacks into origins.

import (
	"io"
	"os"
)

const traceEnabled = true

func fdOrigin(fd int, k Kind) *Origin {
	pcs, kind, ok := os.LifeguardTraceFD(fd)
	if !ok || !traceKindAgrees(kind, k) {
		return nil
	}
	return originFromPCs(pcs)
}

func processOrigin(pid int) *Origin {
	pcs, ok := os.LifeguardTraceProcess(pid)
	if !ok {
		return nil
	}
	return originFromPCs(pcs)
}

func traceIOPipes() []ioPipe {
	var pipes []ioPipe
	for _, p := range io.LifeguardTracePipes() {
		if p.WriterClosed {
			continue
		}
		pipes = append(pipes, ioPipe{pcs: p.PCs, key: pcsKey(p.PCs)})
	}
	return pipes
}

func goroutineOrigin(id uint64) *Origin {
	pcs, ok := os.LifeguardTraceGoroutine(id)
	if !ok {
		return nil
	}
	return originFromPCs(pcs)
}

// traceStartedChild reports whether package os started pid and has not
// reaped it.
func traceStartedChild(pid int) bool {
	_, ok := os.LifeguardTraceProcess(pid)
	return ok
}

// traceDescendant returns, for a process os did not start, the stack that
// started the child it descends from and that child's pid.
func traceDescendant(pid int, start uint64) ([]uintptr, int, bool) {
	return os.LifeguardTraceDescendant(pid, start)
}

func traceScanDescendants() { os.LifeguardTraceScanDescendants() }
