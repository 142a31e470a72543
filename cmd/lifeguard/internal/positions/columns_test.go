package positions

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestColumns(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x.go")
	src := "package x\n\n\tvar ü, ß = \"日本\", f() // x\nshort\n"
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	line3 := "\tvar ü, ß = \"日本\", f() // x"
	byteCol := func(line, sub string) int { return strings.Index(line, sub) + 1 }
	text := NewColumns()
	for _, tc := range []struct {
		posn token.Position
		want int
	}{
		{pos(name, 1, 1), 1},
		{pos(name, 1, 9), 9},                                  // ASCII: bytes are characters
		{pos(name, 3, 1), 1},                                  // the tab
		{pos(name, 3, byteCol(line3, "ß")), 9},                // after a tab, "var " and the two bytes of ü
		{pos(name, 3, byteCol(line3, "f()")), 19},             // after 日本, three bytes each
		{pos(name, 3, len(line3)+1), 27},                      // the end of the line
		{pos(name, 4, 8), 8},                                  // past the end of a short line: a byte a character
		{pos(name, 9, 4), 4},                                  // no such line
		{pos(filepath.Join(t.TempDir(), "none.go"), 3, 7), 7}, // no such file
	} {
		if got := text.Column(tc.posn); got != tc.want {
			t.Errorf("column(%v) = %d, want %d", tc.posn, got, tc.want)
		}
	}
}

func pos(name string, line, col int) token.Position {
	return token.Position{Filename: name, Line: line, Column: col}
}
