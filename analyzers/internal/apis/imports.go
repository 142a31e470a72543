package apis

import "go/types"

// ImportsAndUses reports whether a package imports one of the package
// paths and uses a function satisfying pred (of that package or not: a
// method of one of its types, a function of a package wrapping it): the
// cheap test, on type information alone, that a rule has anything to look
// at there.
func ImportsAndUses(info *types.Info, imports []*types.Package, pred func(*types.Func) bool, paths ...string) bool {
	imported := false
	for _, p := range imports {
		for _, path := range paths {
			if p.Path() == path {
				imported = true
			}
		}
	}
	if !imported {
		return false
	}
	for _, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && pred(fn) {
			return true
		}
	}
	return false
}
