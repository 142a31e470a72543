//go:build !linux

package runtimecheck

import (
	"errors"
	"fmt"
	"runtime"
)

type unsupported struct{}

var defaultSystem system = unsupported{}

var errUnsupported = fmt.Errorf("runtimecheck cannot verify file descriptors and child processes on %s (it reads Linux's /proc): %w",
	runtime.GOOS, errors.ErrUnsupported)

func (unsupported) read() (*sample, error) { return nil, errUnsupported }
func (unsupported) fdinfo(int) string      { return "" }
func (unsupported) cmdline(int) []string   { return nil }
func (unsupported) socket(uint64) string   { return "" }
func (unsupported) reap(int)               {}

func enableSubreaper() error { return errUnsupported }
