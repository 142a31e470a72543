// Package roots knows which packages the driver reports findings for. The
// others are analyzed only for the facts their importers need.
package roots

import (
	"go/types"
	"sync"
)

var (
	mu     sync.Mutex
	isRoot func(*types.Package) bool // nil: unknown, every package is a root
)

// Set tells the analyzers which packages are roots. Drivers that cannot
// tell (the golangci-lint plugin, analysistest) leave it unset, and every
// package is treated as a root.
func Set(f func(*types.Package) bool) {
	mu.Lock()
	defer mu.Unlock()
	isRoot = f
}

// Is reports whether pkg is a root, or whether roots are unknown.
func Is(pkg *types.Package) bool {
	mu.Lock()
	f := isRoot
	mu.Unlock()
	return f == nil || f(pkg)
}
