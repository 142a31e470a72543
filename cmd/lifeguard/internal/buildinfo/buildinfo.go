// Package buildinfo tells what the lifeguard binary knows of its own build:
// the module version it was built at, the revision of a checkout it was
// built from, and the Go that built it.
package buildinfo

import (
	"cmp"
	"runtime"
	"runtime/debug"
)

// ModuleVersion is the module version the binary was built at, or "" for
// a development build.
func ModuleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

// Version is the line -version prints: the module version ("(devel)" for a
// build of a checkout that the go command could not stamp), the revision
// of the checkout and whether its files were modified when it was built
// from one, and the Go version that built it.
func Version() string {
	bi, _ := debug.ReadBuildInfo() // nil when the binary has none
	return describe(bi)
}

func describe(bi *debug.BuildInfo) string {
	if bi == nil {
		return "lifeguard (unknown version), built with " + runtime.Version()
	}
	line := "lifeguard " + cmp.Or(bi.Main.Version, "(devel)")
	var revision string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision != "" {
		line += ", revision " + revision
		if modified {
			line += " (modified)"
		}
	}
	return line + ", built with " + cmp.Or(bi.GoVersion, runtime.Version())
}
