package main

import (
	"io"
	"maps"
	"slices"
)

// An outputFormat prints a report. Each format lives in its own file
// (format_NAME.go) and adds itself to formats from an init function, so that
// new ones (sarif, github, checkstyle) need no change elsewhere.
type outputFormat interface {
	// write prints the report's findings to w. Errors are not its
	// business: they go to stderr whatever the format.
	write(w io.Writer, rep *report) error

	// findingsAreFailure reports whether findings make the exit status 1.
	// Formats meant for another program say false, as go vet -json does:
	// the consumer, not the exit status, decides what a finding means.
	findingsAreFailure() bool
}

// formats maps each -format name to its implementation.
var formats = make(map[string]outputFormat)

func registerFormat(name string, f outputFormat) {
	if _, dup := formats[name]; dup {
		panic("lifeguard: output format " + name + " registered twice")
	}
	formats[name] = f
}

func formatNames() []string {
	return slices.Sorted(maps.Keys(formats))
}
