package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// guardPanics makes the analyzers, and all they require, turn a panic into
// an error for that (analyzer, package), in both of the binary's modes: the
// checker then reports it for the one action, and fails only the actions
// that depend on it (suite.GuardPanics).
func guardPanics(analyzers []*analysis.Analyzer) { suite.GuardPanics(analyzers) }
