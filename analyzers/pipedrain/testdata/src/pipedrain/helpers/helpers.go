// Package helpers is imported by pipedrain/a: its functions' facts (drains,
// closes) must carry across the package boundary.
package helpers

import (
	"bufio"
	"io"
	"log"
	"os"
	"os/exec"
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

// Discard reads r to EOF and throws it away.
func Discard(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// Page shows r in a pager: the pager's child reads it.
func Page(r io.Reader) error {
	pager := exec.Command("less")
	pager.Stdin = r
	pager.Stdout = os.Stdout
	return pager.Run()
}
