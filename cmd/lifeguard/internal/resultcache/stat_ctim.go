//go:build linux || solaris || illumos || aix || openbsd || dragonfly

package resultcache

import "syscall"

func changeTime(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
