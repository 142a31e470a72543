package output

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
)

// TestCheckstyleEscaping checks, on a report made in the test, that what XML
// gives a meaning to (<, &, quotes, line breaks) in messages and file names
// comes back from an XML parser unchanged, related information included.
func TestCheckstyleEscaping(t *testing.T) {
	root := t.TempDir()
	name := filepath.Join(root, `a&b "c".go`)
	rep := syntheticReport(root, name, 2)
	rep.Findings[0].Message = `<-ch & "quoted" 'x' </error>`
	rep.Findings[0].Related = []findings.Location{{Posn: pos(name, 2, 1), End: pos(name, 2, 1), Message: "sent\there > there"}}
	var out bytes.Buffer
	if err := (checkstyleFormat{}).Write(&out, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "<-ch") || strings.Contains(out.String(), `"quoted"`) {
		t.Errorf("message not escaped:\n%s", out.String())
	}
	var doc struct {
		Files []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line    int    `xml:"line,attr"`
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out.String())
	}
	if len(doc.Files) != 1 || doc.Files[0].Name != `a&b "c".go` || len(doc.Files[0].Errors) != 2 {
		t.Fatalf("want one file %q with 2 errors:\n%s", `a&b "c".go`, out.String())
	}
	want := `<-ch & "quoted" 'x' </error>` + "\n" + `a&b "c".go:2:1: sent` + "\there > there"
	if got := doc.Files[0].Errors[0].Message; got != want {
		t.Errorf("message parsed back as %q, want %q", got, want)
	}
	if e := doc.Files[0].Errors[1]; e.Line != 2 || e.Message != "finding b" {
		t.Errorf("second error %+v, want line 2, finding b", e)
	}
}
