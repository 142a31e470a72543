package driver

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/buildinfo"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/resultcache"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/runner"
)

// A Request says what to analyze, and how.
type Request struct {
	Dir        string   // -C: load packages as if run from this directory; "": the current one
	Patterns   []string // the packages
	BuildFlags []string // for the go command that lists packages: -tags, from lifeguard test
	Tests      bool     // -test: analyze the test files too
	Analyzers  []*analysis.Analyzer
	Root       string // -root: what CI formats name files relative to; "": the repository root

	// Cache: keep results in lifeguard's cache and use them (-cache);
	// off, every package is analyzed and nothing is kept.
	Cache bool
	// Progress, if set, gets one updating line on long runs: a terminal.
	Progress io.Writer
}

// Analyze analyzes the packages that req names, with its analyzers,
// and returns what they found. Errors in the packages or in the analyzers
// are part of the report; the error result is only for failures that
// leave nothing to report (go list failing, no packages).
func Analyze(req *Request) (*findings.Report, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	dir := cwd
	if req.Dir != "" {
		dir = req.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("-C: %v", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("-C: %s is not a directory", req.Dir)
		}
	}

	suite.Configure(suite.Config{
		// Let the shared SSA be freed as soon as the analyzers that run
		// are done with it.
		Running: req.Analyzers,
		// Dependencies are analyzed only for the facts the roots need.
		IsRoot: runner.IsRoot,
		// This driver applies no //nolint of its own, and every format
		// has a place for related information.
		DriverAppliesNolint: false,
		OmitRelated:         false,
	})
	cfg := &runner.Config{
		Dir:        dir,
		Patterns:   req.Patterns,
		BuildFlags: req.BuildFlags,
		Tests:      req.Tests,
		Analyzers:  req.Analyzers,
	}
	if req.Cache {
		c, err := openCache()
		if err != nil {
			return nil, err
		}
		defer c.Close()
		cfg.Cache, cfg.Salt = c, binarySalt()
	}
	if req.Progress != nil {
		p := newProgressLine(req.Progress)
		defer p.end()
		cfg.Progress = p.update
	}
	res, err := runner.Run(cfg)
	if err != nil {
		return nil, err
	}
	root, err := repoRoot(req.Root, dir, res.Listed)
	if err != nil {
		return nil, err
	}
	return findings.New(res.Packages, req.Analyzers, positions.NewDisplay(cwd), positions.NewDisplay(root)), nil
}

// openCache opens lifeguard's result cache where resultcache.Dir puts it.
func openCache() (*resultcache.Cache, error) {
	dir, err := resultcache.Dir()
	if err != nil {
		return nil, err
	}
	return resultcache.Open(dir)
}

// binarySalt identifies the running binary, so that a result computed by
// another build of lifeguard, whose analyzers may differ, is never used:
// the hash of the executable, or failing that its version.
func binarySalt() []byte {
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err == nil {
				return h.Sum(nil)
			}
		}
	}
	return []byte(buildinfo.Version())
}
