package analyzerdoc_test

import (
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzerdoc"
)

const good = `// Copyright notice, not the package comment.

// Package toy is an example.
//
// # Analyzer toy
//
// toy: report toys left on the floor
//
// It reports:
//
//   - a toy on the floor, at the toy;
//   - a toy on the stairs, at the stairs.
//
//	code stays indented
//
// See https://example.com/toy.md.
//
// # Other section
//
// Not part of the Doc.
package toy

import _ "embed"

//go:embed doc.go
var src string
`

func TestSection(t *testing.T) {
	got, err := analyzerdoc.Section(good, "toy")
	if err != nil {
		t.Fatal(err)
	}
	want := "report toys left on the floor\n" +
		"\n" +
		"It reports:\n" +
		"\n" +
		"  - a toy on the floor, at the toy;\n" +
		"  - a toy on the stairs, at the stairs.\n" +
		"\n" +
		"\tcode stays indented\n" +
		"\n" +
		"See https://example.com/toy.md."
	if got != want {
		t.Errorf("Section:\n%s\nwant:\n%s", got, want)
	}
	if got := analyzerdoc.Extract(good, "toy"); got != want {
		t.Errorf("Extract:\n%s\nwant:\n%s", got, want)
	}
}

// The section ends at the end of the comment when no heading follows, and
// only the exact heading of the analyzer starts one.
func TestSectionLast(t *testing.T) {
	src := "// # Analyzer toyish\n//\n// toyish: not this one\n//\n// # Analyzer toy\n//\n// toy: this one\n//\n// More.\npackage toy\n"
	got, err := analyzerdoc.Section(src, "toy")
	if err != nil {
		t.Fatal(err)
	}
	if got != "this one\n\nMore." {
		t.Errorf("Section: %q, want %q", got, "this one\n\nMore.")
	}
}

func TestSectionErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "doc.go of toy: "},
		{"not go", "doc.go of toy: "},
		{"package toy\n", "doc.go of toy has no package comment"},
		{"// Package toy.\npackage toy\n", `package comment has no heading "# Analyzer toy"`},
		{"// # Analyzer other\n//\n// other: x\npackage toy\n", `package comment has no heading "# Analyzer toy"`},
		{"// # Analyzer toy\n//\n// It reports.\npackage toy\n", `heading "# Analyzer toy" not followed by a "toy: summary" line`},
		{"// # Analyzer toy\n//\n// toy:\n//\n// It reports.\npackage toy\n", `not followed by a "toy: summary" line`},
		{"// # Analyzer toy\n//\n// # Next\n//\n// toy: too late\npackage toy\n", `not followed by a "toy: summary" line`},
	} {
		_, err := analyzerdoc.Section(tc.src, "toy")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Section(%q): error %v, want one containing %q", tc.src, err, tc.want)
		}
		doc := analyzerdoc.Extract(tc.src, "toy")
		if !strings.HasPrefix(doc, "(no documentation: ") || strings.Contains(doc, "\n") {
			t.Errorf("Extract(%q) = %q, want a one-line (no documentation: ...) note", tc.src, doc)
		}
	}
}
