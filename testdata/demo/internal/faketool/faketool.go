// Package faketool writes stand-ins for ffmpeg, ffprobe and git, so the demo's
// tests can run the real code paths without the real tools.
package faketool

import (
	"os"
	"path/filepath"
	"testing"
)

// Script writes an executable /bin/sh script with the given body to a fresh
// temporary directory and returns its path.
func Script(t testing.TB, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
