package resultcache

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFileHasher(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, "old.go"), filepath.Join(dir, "fresh.go")
	write := func(name, content string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	hourAgo := time.Now().Add(-time.Hour)
	write(old, "package a // one", hourAgo)
	write(fresh, "package a // new", time.Now())

	h := c.FileHasher()
	sums := h.HashFiles([]string{old, fresh})
	if sums[old] != sha256.Sum256([]byte("package a // one")) || sums[fresh] != sha256.Sum256([]byte("package a // new")) {
		t.Fatalf("wrong hashes")
	}
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}

	// The next run knows the old file, not the one modified just now.
	h = c.FileHasher()
	if _, ok := h.known[old]; !ok {
		t.Fatal("the old file's hash is not remembered")
	}
	if _, ok := h.known[fresh]; ok {
		t.Error("the hash of a file modified just before it was hashed is remembered")
	}
	// A remembered hash is served without reading the file.
	e := h.known[old]
	e.Sum = [sha256.Size]byte{1}
	h.known[old] = e
	if got := h.HashFiles([]string{old})[old]; got != e.Sum {
		t.Error("the file was read again although it is unchanged")
	}

	// Same size, modification time put back (cp -p, tar): the change
	// time differs, and the file is read.
	write(old, "package a // two", hourAgo)
	if got := c.FileHasher().HashFiles([]string{old})[old]; got != sha256.Sum256([]byte("package a // two")) {
		t.Error("a file rewritten with its old size and modification time kept its old hash")
	}

	// An index cut short is no index.
	if err := os.WriteFile(filepath.Join(c.Dir, "filehashes"), []byte{0x0e, 0xff}, 0o666); err != nil {
		t.Fatal(err)
	}
	if got := c.FileHasher().HashFiles([]string{old})[old]; got != sha256.Sum256([]byte("package a // two")) {
		t.Error("wrong hash after a broken index")
	}
}
