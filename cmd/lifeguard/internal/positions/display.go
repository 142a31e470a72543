// Package positions shows file positions the way lifeguard's outputs name
// them: file names relative to a directory (the current one, or the
// repository root), and columns in characters rather than bytes.
package positions

import (
	"go/token"
	"path/filepath"
	"strings"
)

// A Display shows file names relative to a directory when they are under
// it, and absolute otherwise.
type Display struct {
	// dirs holds the directory, and its symlink-free form when that
	// differs: the go command may report either.
	dirs []string
}

// NewDisplay returns the Display of file names relative to dir.
func NewDisplay(dir string) Display {
	p := Display{dirs: []string{dir}}
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		p.dirs = append(p.dirs, real)
	}
	return p
}

// File returns the name to show for filename.
func (p Display) File(filename string) string {
	if rel, ok := p.under(filename); ok {
		return rel
	}
	return filename
}

// under returns the absolute filename relative to the display's
// directory, and whether it is under it.
func (p Display) under(filename string) (string, bool) {
	if !filepath.IsAbs(filename) {
		return "", false
	}
	for _, dir := range p.dirs {
		rel, err := filepath.Rel(dir, filename)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel, true
		}
	}
	return "", false
}

// Show formats posn as file:line:col with the file name shown as File
// shows it.
func (p Display) Show(posn token.Position) string {
	posn.Filename = p.File(posn.Filename)
	return posn.String()
}

// Position rewrites the file name in a "file:line:col" position string.
func (p Display) Position(pos string) string {
	file, rest := Split(pos)
	return p.File(file) + rest
}

// Rel returns filename relative to the display's directory, slash-separated,
// and whether it is under it at all; a file outside it keeps its name,
// slash-separated.
func (p Display) Rel(filename string) (string, bool) {
	if rel, ok := p.under(filename); ok {
		return filepath.ToSlash(rel), true
	}
	return filepath.ToSlash(filename), false
}

// Dir returns the display's directory.
func (p Display) Dir() string {
	if len(p.dirs) == 0 {
		return ""
	}
	return p.dirs[0]
}

// Split splits "file:line:col" (or "file:line", or "file") into the file
// name and the ":line:col" suffix. File names may contain colons.
func Split(pos string) (file, lineCol string) {
	file = pos
	for range 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 || !isDigits(file[i+1:]) {
			break
		}
		file = file[:i]
	}
	return file, pos[len(file):]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
