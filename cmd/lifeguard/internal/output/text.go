package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

func init() { register("text", func(Options) Format { return textFormat{} }) }

// textFormat prints one finding per line, as compilers and go vet do, so
// that editors and CI log scanners pick the positions up:
//
//	file:line:col: message (analyzer)
//
// followed by its related information, each indented by a tab:
//
//	file:line:col: message
type textFormat struct{}

func (textFormat) FindingsAreFailure() bool { return true }

func (textFormat) Write(w io.Writer, rep *findings.Report) error { return WriteText(w, rep) }

// WriteText prints rep's findings in the text format, file names relative
// to the current directory.
func WriteText(w io.Writer, rep *findings.Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range rep.Findings {
		fmt.Fprintf(bw, "%s: %s (%s)\n", rep.Paths.Show(f.Posn), f.Message, f.Analyzer.Name)
		for _, r := range f.Related {
			fmt.Fprintf(bw, "\t%s: %s\n", rep.Paths.Show(r.Posn), r.Message)
		}
	}
	return bw.Flush()
}
