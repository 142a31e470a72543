//go:build ignore

// This file is added to package net by the overlay of "lifeguard test"
// (github.com/lifeguard-go/lifeguard, cmd/lifeguard/internal/lgtest/overlay);
// it exists only in test builds made that way. The "//go:build ignore" line
// above is dropped when the overlay is written.
//
// Every socket net creates, accepts or gets from a file goes through newFD
// (fd_unix.go) and is closed by (*netFD).Close (fd_posix.go); the lines
// inserted there record and forget it in package os's table, where
// os.LifeguardTraceFD finds it.
package net

import (
	"os"
	"unsafe"
)

func lifeguardTraceNewFD(fd *netFD, sysfd int) {
	os.LifeguardTraceRecordOwner(sysfd, "socket", uintptr(unsafe.Pointer(fd)), 1)
}

func lifeguardTraceCloseFD(fd *netFD) {
	os.LifeguardTraceForgetOwner(uintptr(unsafe.Pointer(fd)))
}
