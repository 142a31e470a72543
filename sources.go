// Package lifeguard holds, for "lifeguard test", the sources of
// runtimecheck and internal/leakrecord: its overlay builds them into the
// standard library's testing package, where they run the automatic leak
// check of every test binary (see docs/lifeguard-test.md). It has no API
// for other uses.
package lifeguard

import "embed"

// RuntimeSources are runtimecheck's and internal/leakrecord's files.
//
//go:embed runtimecheck/*.go internal/leakrecord/*.go
var RuntimeSources embed.FS
