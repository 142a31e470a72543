//go:build unix

package resultcache

import (
	"os"
	"syscall"
)

func statOf(fi os.FileInfo) fileStat {
	st := fileStat{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ChangeTime = changeTime(sys)
		st.Inode = uint64(sys.Ino)
	}
	return st
}
