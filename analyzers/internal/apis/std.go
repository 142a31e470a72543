package apis

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

var stdPaths sync.Map // import path -> bool

// IsStdPath reports whether an import path names a package of the Go
// distribution (the standard library, its vendored packages, or cmd), from
// the path alone: its first element has no dot and GOROOT/src has a
// directory of that name. A module whose path has no dot (example/app) is
// not taken for the standard library unless GOROOT has the same directory,
// which the go command would not build anyway. Without a known GOROOT
// (a -trimpath binary) only dotted paths are known not to be standard, and
// every dotless one is taken for a module's.
func IsStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") || path == "" {
		return false
	}
	if v, ok := stdPaths.Load(path); ok {
		return v.(bool)
	}
	std := false
	for _, root := range gorootSrc() {
		if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(path))); err == nil && fi.IsDir() {
			std = true
			break
		}
	}
	stdPaths.Store(path, std)
	return std
}
