package output

import (
	"encoding/xml"
	"io"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

func init() { register("checkstyle", func(Options) Format { return checkstyleFormat{} }) }

// checkstyleFormat prints Checkstyle's XML report, which Jenkins
// (warnings-ng), reviewdog and many CI services read:
//
//	<checkstyle version="5.0">
//	  <file name="media/transcode.go">
//	    <error line="39" column="12" severity="warning" message="..." source="lifeguard/cmdwait"></error>
//	  </file>
//	</checkstyle>
//
// One <file> per file with findings, in the order of the findings; names
// relative to the repository root, columns in characters
// from 1. Related information is appended to the message, a line each.
// Like -json, it leaves the decision to the consumer: findings do not
// change the exit status.
type checkstyleFormat struct{}

func (checkstyleFormat) FindingsAreFailure() bool { return false }

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

func (checkstyleFormat) Write(w io.Writer, rep *findings.Report) error {
	text := positions.NewColumns()
	doc := checkstyleReport{Version: "5.0"}
	index := make(map[string]int) // file name -> index in doc.Files
	for _, f := range rep.Findings {
		name := rep.RepoFile(f.Posn.Filename)
		i, ok := index[name]
		if !ok {
			i = len(doc.Files)
			index[name] = i
			doc.Files = append(doc.Files, checkstyleFile{Name: name})
		}
		msg := messageWithRelated(rep, f)
		doc.Files[i].Errors = append(doc.Files[i].Errors, checkstyleError{
			Line:     f.Posn.Line,
			Column:   text.Column(f.Posn),
			Severity: "warning",
			Message:  msg,
			Source:   "lifeguard/" + f.Analyzer.Name,
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
