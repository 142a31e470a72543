//go:build !unix

package resultcache

import "os"

// Without a change time or inode, size and modification time decide.
func statOf(fi os.FileInfo) fileStat {
	return fileStat{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
}
