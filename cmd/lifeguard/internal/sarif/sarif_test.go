package sarif

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SARIF columns count code points, not bytes.
func TestSARIFColumns(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x.go")
	src := "package x\n\nvar s = \"héllo\"; var y = 1\n"
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	offset := strings.Index(src, "var y")
	lineStart := strings.LastIndex(src[:offset], "\n") + 1
	posn := token.Position{Filename: name, Offset: offset, Line: 3, Column: offset - lineStart + 1}
	l := newLocator(t.TempDir())
	if got, want := l.column(posn), posn.Column-1; got != want {
		t.Errorf("column of var y: %d, want %d (one code point less than its %d bytes)", got, want, posn.Column)
	}
	if got := relativeURI("a b/c:d.go"); got != "a%20b/c:d.go" {
		t.Errorf("relativeURI = %q", got)
	}
	if got := relativeURI("c:d/x.go"); got != "./c:d/x.go" {
		t.Errorf("relativeURI = %q", got)
	}
}
