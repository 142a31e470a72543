package main

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
)

// TestCheckstyleFormat parses the Checkstyle report back as XML.
func TestCheckstyleFormat(t *testing.T) {
	t.Parallel()
	_, module := ciFixture(t)
	r := runEnv(t, module, nil, lifeguardBin, "-format=checkstyle", "./...")
	if r.code != driver.ExitClean || r.stderr != "" {
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
