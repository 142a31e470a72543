package main

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckstyleFormat parses the Checkstyle report back as XML.
func TestCheckstyleFormat(t *testing.T) {
	t.Parallel()
	_, module := ciFixture(t)
	r := runEnv(t, module, nil, lifeguardBin, "-format=checkstyle", "./...")
	if r.code != exitClean || r.stderr != "" {
		t.Fatalf("want exit status 0 despite findings; got %v", r)
	}
	if !strings.HasPrefix(r.stdout, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration:\n%s", r.stdout)
	}
	var doc struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, r.stdout)
	}
	if doc.Version == "" || len(doc.Files) != 1 || doc.Files[0].Name != "sub/svc/svc.go" {
		t.Fatalf("want one <file name=\"sub/svc/svc.go\">:\n%s", r.stdout)
	}
	wants := ciWants(t, module)
	errs := doc.Files[0].Errors
	if len(errs) != len(wants) {
		t.Fatalf("%d errors, want %d:\n%s", len(errs), len(wants), r.stdout)
	}
	for i, w := range wants {
		e := errs[i]
		if e.Line != w.line || e.Column != w.col || e.Source != "lifeguard/"+w.analyzer || e.Severity != "warning" || e.Message == "" {
			t.Errorf("error %+v, want line %d column %d source lifeguard/%s", e, w.line, w.col, w.analyzer)
		}
	}
	if !strings.Contains(errs[1].Message, `"echo 100%, a:b"`) {
		t.Errorf("message %q does not survive XML", errs[1].Message)
	}
}

// TestCheckstyleEscaping checks, on a report made in the test, that what XML
// gives a meaning to (<, &, quotes, line breaks) in messages and file names
// comes back from an XML parser unchanged, related information included.
func TestCheckstyleEscaping(t *testing.T) {
	root := t.TempDir()
	name := filepath.Join(root, `a&b "c".go`)
	rep := syntheticReport(root, name, 2)
	rep.findings[0].message = `<-ch & "quoted" 'x' </error>`
	rep.findings[0].related = []relatedInfo{{posn: pos(name, 2, 1), end: pos(name, 2, 1), message: "sent\there > there"}}
	var out bytes.Buffer
	if err := (checkstyleFormat{}).write(&out, rep); err != nil {
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
