// Package analyzerdoc gives each analyzer its Doc from its doc.go, so that
// the package documentation and "lifeguard help NAME" are one text.
//
// An analyzer's doc.go embeds itself (//go:embed doc.go) and its package
// comment has a section for the analyzer, as go vet's analyzers do:
//
//	// Package cmdwait reports child processes that are never reaped.
//	//
//	// # Analyzer cmdwait
//	//
//	// cmdwait: report child processes that ... never reaped with Wait
//	//
//	// It reports:
//	// ...
//	package cmdwait
//
// The section runs from the heading "# Analyzer NAME" to the next heading
// or the end of the comment. Its first line, "NAME: summary", is the
// one-line summary that lifeguard -list prints; the Doc is the section
// without the "NAME: " prefix, in the plain text of go/ast's
// CommentGroup.Text (comment markers and directives removed, list and code
// indentation kept).
package analyzerdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the Doc of the analyzer name from src, the source of its
// package's doc.go. It never panics: src is the package's own embedded
// file, so a malformed one is a bug of lifeguard's that the analyzers'
// tests catch (every Doc starts with its summary), and until then the Doc
// says what is wrong.
func Extract(src, name string) string {
	doc, err := Section(src, name)
	if err != nil {
		return "(no documentation: " + err.Error() + ")"
	}
	return doc
}

// Section returns the Doc of the analyzer name from src, as Extract does,
// or an error saying why src has none: src is not Go, has no package
// comment, no "# Analyzer name" heading, or the heading is not followed by
// a "name: summary" line.
func Section(src, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("doc.go of %s: %v", name, err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go of %s has no package comment", name)
	}
	heading := "# Analyzer " + name
	lines := strings.Split(f.Doc.Text(), "\n")
	start := -1
	for i, line := range lines {
		if strings.TrimRight(line, " \t\r") == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("doc.go of %s: package comment has no heading %q", name, heading)
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "# ") {
			end = i
			break
		}
	}
	body := strings.TrimSpace(strings.Join(lines[start:end], "\n"))
	summary, ok := strings.CutPrefix(body, name+": ")
	if !ok || strings.TrimSpace(firstLine(summary)) == "" {
		return "", fmt.Errorf("doc.go of %s: heading %q not followed by a %q line", name, heading, name+": summary")
	}
	return summary, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
