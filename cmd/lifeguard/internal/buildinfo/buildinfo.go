// Package buildinfo tells what the lifeguard binary knows of its own build:
// the module version it was built at.
package buildinfo

import "runtime/debug"

// ModuleVersion is the module version the binary was built at, or "" for
// a development build.
func ModuleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}
