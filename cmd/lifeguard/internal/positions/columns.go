package positions

import (
	"bytes"
	"go/token"
	"os"
	"unicode/utf8"
)

// Columns converts the byte columns of token.Position into the 1-based
// character (Unicode code point) columns that SARIF, GitHub annotations and
// Checkstyle want, from the text of the position's line. It reads each file
// once. It goes by the position's file name, line and column, never by its
// offset: after a //line directive (cgo's generated files have them) the
// offset is in another file than the one named.
type Columns struct {
	files map[string]*fileLines
}

type fileLines struct {
	data   []byte // nil: unreadable
	starts []int  // the offset of each line, from line 1
}

// NewColumns returns a Columns that has read no file yet.
func NewColumns() *Columns {
	return &Columns{files: make(map[string]*fileLines)}
}

// Column returns posn's column in characters; for an unreadable file, or a
// position past the text, each byte missing counts as one character.
func (s *Columns) Column(posn token.Position) int {
	if posn.Column <= 1 || posn.Line < 1 {
		return max(posn.Column, 1)
	}
	fl := s.file(posn.Filename)
	if fl.data == nil || posn.Line > len(fl.starts) {
		return posn.Column
	}
	line := fl.data[fl.starts[posn.Line-1]:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	n := posn.Column - 1 // bytes before the position
	if n <= len(line) {
		return utf8.RuneCount(line[:n]) + 1
	}
	return utf8.RuneCount(line) + (n - len(line)) + 1
}

func (s *Columns) file(name string) *fileLines {
	fl, ok := s.files[name]
	if !ok {
		fl = &fileLines{}
		if data, err := os.ReadFile(name); err == nil {
			fl.data = data
			fl.starts = []int{0}
			for i, b := range data {
				if b == '\n' {
					fl.starts = append(fl.starts, i+1)
				}
			}
		}
		s.files[name] = fl
	}
	return fl
}
