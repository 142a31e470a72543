package main

import (
	"encoding/xml"
	"io"
)

func init() { registerFormat("checkstyle", checkstyleFormat{}) }

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
// relative to the repository root (reporoot.go), columns in characters
// from 1. Related information is appended to the message, a line each.
// Like -json, it leaves the decision to the consumer: findings do not
// change the exit status.
type checkstyleFormat struct{}

func (checkstyleFormat) findingsAreFailure() bool { return false }

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

func (checkstyleFormat) write(w io.Writer, rep *report) error {
	text := newSourceText()
	doc := checkstyleReport{Version: "5.0"}
	index := make(map[string]int) // file name -> index in doc.Files
	for _, f := range rep.findings {
		name := rep.repoFile(f.posn.Filename)
		i, ok := index[name]
		if !ok {
			i = len(doc.Files)
			index[name] = i
			doc.Files = append(doc.Files, checkstyleFile{Name: name})
		}
		msg := f.message
		for _, r := range f.related {
			msg += "\n" + rep.repoPosition(r.posn) + ": " + r.message
		}
		doc.Files[i].Errors = append(doc.Files[i].Errors, checkstyleError{
			Line:     f.posn.Line,
			Column:   text.column(f.posn),
			Severity: "warning",
			Message:  msg,
			Source:   "lifeguard/" + f.analyzer.Name,
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
