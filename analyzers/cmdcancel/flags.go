package cmdcancel

import (
	"slices"
	"strings"
)

// nameList is a comma-separated list of program names.
type nameList struct{ names []string }

func (l *nameList) String() string { return strings.Join(l.names, ",") }

func (l *nameList) Set(s string) error {
	l.names = nil
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			l.names = append(l.names, n)
		}
	}
	return nil
}

// Has reports whether name is in the list.
func (l *nameList) Has(name string) bool { return slices.Contains(l.names, name) }

// Reset empties the list (the golangci-lint plugin sets flags afresh).
func (l *nameList) Reset() { l.names = nil }
