package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The result cache between processes: each test has a cache directory of
// its own (LIFEGUARD_CACHE) and compares what lifeguard prints with a run
// that bypasses the cache (-cache=false).

func cacheEnv(dir string) []string { return []string{"LIFEGUARD_CACHE=" + dir} }

// uncached is what lifeguard prints for the fixture with no cache.
func uncached(t *testing.T, args ...string) result {
	t.Helper()
	r := lifeguard(t, append([]string{"-cache=false"}, args...)...)
	if r.stdout == "" {
		t.Fatalf("lifeguard -cache=false found nothing: %v", r)
	}
	return r
}

// TestCacheTwoProcesses runs two lifeguard processes on one empty cache at
// once: both print what an uncached run prints, and a third run, served by
// what they wrote, prints it too.
func TestCacheTwoProcesses(t *testing.T) {
	t.Parallel()
	want := uncached(t, "./...")
	env := cacheEnv(filepath.Join(t.TempDir(), "cache"))
	var wg sync.WaitGroup
	got := make([]result, 2)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = runEnv(t, fixtureDir, env, lifeguardBin, "./...")
		}()
	}
	wg.Wait()
	got = append(got, runEnv(t, fixtureDir, env, lifeguardBin, "./..."))
	for i, r := range got {
		if r.stdout != want.stdout || r.stderr != want.stderr || r.code != want.code {
			t.Errorf("run %d printed:\n%v\nwant:\n%v", i, r, want)
		}
	}
}

// TestCacheKilledRun kills a lifeguard run as soon as it has written a
// first entry, truncates what the kill may have cut short for good
// measure, and checks that the next run prints what an uncached one does.
func TestCacheKilledRun(t *testing.T) {
	t.Parallel()
	want := uncached(t, "./...")
	dir := filepath.Join(t.TempDir(), "cache")
	cmd := exec.Command(lifeguardBin, "./...")
	cmd.Dir = fixtureDir
	cmd.Env = append(os.Environ(), cacheEnv(dir)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(cacheEntries(t, dir)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	entries := cacheEntries(t, dir)
	if len(entries) == 0 {
		t.Fatalf("the run wrote no entry before it was killed:\n%s", out.String())
	}
	// A half-written entry, as a kill during a write would leave it.
	fi, err := os.Stat(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(entries[0], fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	r := runEnv(t, fixtureDir, cacheEnv(dir), lifeguardBin, "./...")
	if r.stdout != want.stdout || r.stderr != want.stderr || r.code != want.code {
		t.Errorf("after a killed run:\n%v\nwant:\n%v", r, want)
	}
}

// cacheEntries lists the data files of the cache in dir.
func cacheEntries(t *testing.T, dir string) []string {
	var list []string
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(path, "-d") {
			list = append(list, path)
		}
		return nil
	})
	return list
}

// TestCacheClean checks lifeguard clean-cache removes the cache, refuses a
// directory that is not one, and that -cache=false leaves none behind.
func TestCacheClean(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cache")
	// The fixture has a package that does not type-check: status 2.
	if r := runEnv(t, fixtureDir, cacheEnv(dir), lifeguardBin, "-cache=false", "./..."); r.code != 2 || fileExists(dir) {
		t.Fatalf("-cache=false: %v; cache directory made: %v", r, fileExists(dir))
	}
	if r := runEnv(t, fixtureDir, cacheEnv(dir), lifeguardBin, "./..."); r.code != 2 || len(cacheEntries(t, dir)) == 0 {
		t.Fatalf("a run left no cache entry: %v", r)
	}
	r := runEnv(t, fixtureDir, cacheEnv(dir), lifeguardBin, "clean-cache")
	if r.code != 0 || fileExists(dir) || !strings.Contains(r.stdout, "removed "+dir) {
		t.Errorf("clean-cache: %v; still there: %v", r, fileExists(dir))
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "keep"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	r = runEnv(t, fixtureDir, cacheEnv(other), lifeguardBin, "clean-cache")
	if r.code != 2 || !fileExists(filepath.Join(other, "keep")) || !strings.Contains(r.stderr, "does not look like lifeguard's cache") {
		t.Errorf("clean-cache of a directory that is no cache: %v", r)
	}
}
