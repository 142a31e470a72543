package driver

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/packages"
)

// The CI formats (github, sarif, checkstyle, gitlab) and baselines name files
// relative to the repository root, not to the current directory as the text
// format does: that is what GitHub annotations and code scanning, GitLab's
// code-quality widget and the other CI consumers resolve names against, and
// it makes a baseline written in one checkout valid in any other.
//
// The root is, in order: -root if given; else the nearest directory, from
// the one packages are loaded in (-C) upwards, that holds a .git entry (a
// directory, or the file of a worktree or submodule); else the root of the
// main module; else the load directory itself.

// repoRoot returns the absolute repository root for a run that loaded pkgs
// from dir; flagRoot is -root, relative to the current directory.
func repoRoot(flagRoot, dir string, pkgs []*packages.Package) (string, error) {
	if flagRoot != "" {
		abs, err := filepath.Abs(flagRoot)
		if err != nil {
			return "", fmt.Errorf("-root: %v", err)
		}
		if fi, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("-root: %v", err)
		} else if !fi.IsDir() {
			return "", fmt.Errorf("-root: %s is not a directory", flagRoot)
		}
		return abs, nil
	}
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	for _, pkg := range pkgs {
		if m := pkg.Module; m != nil && m.Main && m.Dir != "" {
			return m.Dir, nil
		}
	}
	return dir, nil
}
