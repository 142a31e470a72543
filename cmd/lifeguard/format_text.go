package main

import (
	"bufio"
	"fmt"
	"go/token"
	"io"
)

func init() { registerFormat("text", textFormat{}) }

// textFormat prints one finding per line, as compilers and go vet do, so
// that editors and CI log scanners pick the positions up:
//
//	file:line:col: message (analyzer)
//
// followed by its related information, each indented by a tab:
//
//	file:line:col: message
type textFormat struct{}

func (textFormat) findingsAreFailure() bool { return true }

func (textFormat) write(w io.Writer, rep *report) error {
	bw := bufio.NewWriter(w)
	for _, f := range rep.findings {
		fmt.Fprintf(bw, "%s: %s (%s)\n", showPosition(rep.paths, f.posn), f.message, f.analyzer.Name)
		for _, r := range f.related {
			fmt.Fprintf(bw, "\t%s: %s\n", showPosition(rep.paths, r.posn), r.message)
		}
	}
	return bw.Flush()
}

// showPosition formats posn as file:line:col with the file name shown
// relative to the current directory when it is under it.
func showPosition(paths pathDisplay, posn token.Position) string {
	posn.Filename = paths.file(posn.Filename)
	return posn.String()
}
