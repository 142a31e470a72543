// Package resultcache is where lifeguard keeps what it learnt of each
// package (its facts, and for the packages it was asked about their
// findings) between runs: a content-addressed cache in the layout of the
// go command's build cache, through staticcheck's copy of it
// (honnef.co/go/tools/lintcmd/cache), which is safe for concurrent
// processes: an entry is written to a temporary file and renamed into
// place, and one whose size or hash does not match what its index says is
// a miss, never a corrupt read.
package resultcache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"honnef.co/go/tools/lintcmd/cache"
)

// EnvDir names the environment variable that moves the cache.
const EnvDir = "LIFEGUARD_CACHE"

// A Key identifies one entry.
type Key = cache.ActionID

// A Cache is an open cache directory.
type Cache struct {
	disk *cache.DiskCache
	Dir  string
}

// Dir returns the cache directory: $LIFEGUARD_CACHE, else lifeguard in the
// user cache directory of the platform (os.UserCacheDir: $XDG_CACHE_HOME
// or ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on
// Windows).
func Dir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		return filepath.Abs(dir)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (%v); set %s or run with -cache=false", err, EnvDir)
	}
	return filepath.Join(base, "lifeguard"), nil
}

// Open opens the cache in dir, creating it if need be.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("cache: %v", err)
	}
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); errors.Is(err, os.ErrNotExist) {
		// As the go command does, so that a user finding the directory
		// knows what it is and that removing it is safe.
		_ = os.WriteFile(readme, []byte("This directory holds cached lifeguard analysis results.\nIt is safe to remove; lifeguard clean-cache does.\n"), 0o666)
	}
	disk, err := cache.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("cache: %v", err)
	}
	return &Cache{disk: disk, Dir: dir}, nil
}

// Get returns the data stored under key, and whether there is any: an
// entry that is missing, incomplete or fails its check is a miss.
func (c *Cache) Get(key Key) ([]byte, bool) {
	data, _, err := cache.GetBytes(c.disk, key)
	return data, err == nil
}

// Put stores data under key.
func (c *Cache) Put(key Key, data []byte) error {
	return cache.PutBytes(c.disk, key, data)
}

// Close trims entries unused for days, at most once a day, as the go
// command does.
func (c *Cache) Close() error {
	return c.disk.Close()
}

// Clean removes the cache directory dir and all it holds.
func Clean(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	// Refuse a directory that is not a cache, in case LIFEGUARD_CACHE
	// points somewhere it should not.
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		return fmt.Errorf("%s does not look like lifeguard's cache (no README); not removing it", dir)
	}
	return os.RemoveAll(dir)
}
