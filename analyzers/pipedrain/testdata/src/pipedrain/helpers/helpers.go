// Package helpers is imported by pipedrain/a: its functions' facts (drains,
// closes) must carry across the package boundary.
package helpers

import (
	"bufio"
	"io"
	"log"
)

// LogLines reads r to EOF, logging each line.
func LogLines(prefix string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		log.Println(prefix, sc.Text())
	}
	return sc.Err()
}

// Feed writes data and closes w.
func Feed(w io.WriteCloser, data string) error {
	if _, err := io.WriteString(w, data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
