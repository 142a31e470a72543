// Package output prints a run's findings in the -format the user chose:
// text (one line per finding, as compilers do), json (the go/analysis
// JSON tree), github (Actions annotations and step summary), sarif (code
// scanning), gitlab (code quality) and checkstyle. Errors are not its
// business: they go to stderr whatever the format.
package output

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

// A Format prints a report. Each format lives in its own file (NAME.go)
// and adds itself to the formats from an init function, so that new ones
// need no change elsewhere.
type Format interface {
	// Write prints the report's findings to w.
	Write(w io.Writer, rep *findings.Report) error

	// FindingsAreFailure reports whether findings make the exit status 1.
	// Formats meant for another program say false, as go vet -json does:
	// the consumer, not the exit status, decides what a finding means.
	FindingsAreFailure() bool
}

// Options are what the command line says of the output besides the
// format's name.
type Options struct {
	MaxAnnotations int // -max-annotations, for the github format
}

// formats maps each -format name to the maker of its implementation.
var formats = make(map[string]func(Options) Format)

func register(name string, newFormat func(Options) Format) {
	if _, dup := formats[name]; dup {
		panic("lifeguard: output format " + name + " registered twice")
	}
	formats[name] = newFormat
}

// New returns the format called name, and whether there is one.
func New(name string, opts Options) (Format, bool) {
	newFormat, ok := formats[name]
	if !ok {
		return nil, false
	}
	return newFormat(opts), true
}

// Names lists the formats, sorted.
func Names() []string {
	return slices.Sorted(maps.Keys(formats))
}

// JSONFlag is the -json flag: a boolean spelling of -format=json, for the
// flag.Value of the -format string it sets. The last of -json and -format
// on the command line wins.
type JSONFlag struct{ Format *string }

func (j JSONFlag) IsBoolFlag() bool { return true }

func (j JSONFlag) String() string {
	if j.Format != nil && *j.Format == "json" {
		return "true"
	}
	return "false"
}

func (j JSONFlag) Set(s string) error {
	switch s {
	case "true", "1", "t", "T", "TRUE", "True":
		*j.Format = "json"
	case "false", "0", "f", "F", "FALSE", "False":
		if *j.Format == "json" {
			*j.Format = "text"
		}
	default:
		return errors.New("want true or false")
	}
	return nil
}

// messageWithRelated is f's message followed by its related information,
// a line each, for the formats that have no place of their own for it.
func messageWithRelated(rep *findings.Report, f *findings.Finding) string {
	msg := f.Message
	for _, r := range f.Related {
		msg += "\n" + rep.RepoPosition(r.Posn) + ": " + r.Message
	}
	return msg
}

// Plural counts n things: "1 finding", "2 findings".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
