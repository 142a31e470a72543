// Command lifeguard reports lifecycle bugs in Go code: child processes that
// are never reaped, pipes that are never drained or closed, and the other
// mistakes described in docs/.
//
// It runs standalone, loading packages itself:
//
//	lifeguard [flags] [packages]
//
// or as a vet tool, driven by the go command:
//
//	go vet -vettool=$(command -v lifeguard) [packages]
//
// Standalone, it exits 0 when the packages are clean, 1 when there are
// findings and 2 on errors (bad flags, packages that do not load or
// type-check, analyzer failures). Run "lifeguard -help" for the flags.
//
// "lifeguard test" runs the packages' tests with leak tracing on and shows
// which findings the leaks of a test confirm (docs/lifeguard-test.md):
//
//	lifeguard test [flags] [go test flags] [packages]
//
// "lifeguard vet" is go vet with lifeguard as its vet tool, its findings
// printed as the standalone command prints them; the go command caches
// each package's result, so a re-run analyzes only what changed:
//
//	lifeguard vet [go vet flags] [packages]
//
// This file only dispatches; each mode lives in its own package under
// internal/: driver (the standalone command), vettool, govet, lgtest.
package main

import (
	"os"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/analyzerflags"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/govet"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/lgtest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/vettool"
)

func main() {
	analyzers := analyzerflags.Offered()
	// Neither go/analysis/checker nor unitchecker recovers a panic in an
	// analyzer: a panic becomes an error for that (analyzer, package), in
	// every mode.
	suite.GuardPanics(analyzers)

	if vettool.IsInvocation(os.Args[1:]) {
		vettool.Main(analyzers) // exits
	}
	if len(os.Args) > 1 && os.Args[1] == "vet" {
		os.Exit(govet.Run(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "test" {
		os.Exit(lgtest.Run(os.Args[2:], analyzers, os.Stdout, os.Stderr))
	}
	os.Exit(driver.Run(os.Args[1:], analyzers, os.Stdout, os.Stderr))
}
