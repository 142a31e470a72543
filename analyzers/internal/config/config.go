// Package config holds what the driver told the analyzers about the run:
// which analyzers the suite offers and which of them run, which packages
// findings are reported for, and how the driver treats //nolint and
// related information. The driver sets it with one call
// (suite.Configure); everything else only reads it.
//
// A process that never sets it (analysistest running one analyzer) gets
// the zero Config: every package a root, every analyzer running, the
// analyzers' own //nolint handling, related information kept, and no list
// of analyzer names to check directives against.
package config

import (
	"go/types"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// Config is the run's configuration.
type Config struct {
	// Analyzers is every analyzer the suite offers, in its order: the
	// names //lifeguard:ignore may use. Nil: not known, and directive
	// names are not checked.
	Analyzers []*analysis.Analyzer
	// Running is the analyzers the driver runs; nil: all of them.
	Running []*analysis.Analyzer
	// IsRoot tells the packages findings are reported for; nil: all.
	IsRoot func(*types.Package) bool
	// DriverAppliesNolint: the driver applies //nolint, //nolint:all and
	// //nolint:lifeguard itself (golangci-lint).
	DriverAppliesNolint bool
	// OmitRelated: findings go without related information
	// (golangci-lint makes each related location an issue of its own).
	OmitRelated bool
}

// state is a Config with the sets derived from it.
type state struct {
	Config
	running map[*analysis.Analyzer]bool // nil: every analyzer runs
	names   map[string]bool             // nil: names are not checked
	// directiveReporter is the analyzer that reports directives naming
	// no analyzer, or one the suite does not offer: the first running
	// analyzer of the suite, so that each is reported once whichever
	// analyzers run.
	directiveReporter *analysis.Analyzer
}

var current atomic.Pointer[state]

func init() { Set(Config{}) }

// Set replaces the configuration.
func Set(c Config) {
	s := &state{Config: c}
	if c.Running != nil {
		s.running = map[*analysis.Analyzer]bool{}
		for _, a := range c.Running {
			s.running[a] = true
		}
	}
	if c.Analyzers != nil {
		s.names = map[string]bool{}
		for _, a := range c.Analyzers {
			s.names[a.Name] = true
			if s.directiveReporter == nil && (s.running == nil || s.running[a]) {
				s.directiveReporter = a
			}
		}
	}
	current.Store(s)
}

// IsRoot reports whether findings are reported for pkg.
func IsRoot(pkg *types.Package) bool {
	s := current.Load()
	return s.IsRoot == nil || s.IsRoot(pkg)
}

// Runs reports whether the driver runs a.
func Runs(a *analysis.Analyzer) bool {
	s := current.Load()
	return s.running == nil || s.running[a]
}

// Names returns the analyzer names directives may use, in the suite's
// order, or nil when they are not known.
func Names() []string {
	s := current.Load()
	if s.Analyzers == nil {
		return nil
	}
	names := make([]string, len(s.Analyzers))
	for i, a := range s.Analyzers {
		names[i] = a.Name
	}
	return names
}

// KnownName reports whether a directive may name the analyzer name: the
// suite offers it, or the names are not known.
func KnownName(name string) bool {
	s := current.Load()
	return s.names == nil || s.names[name]
}

// ReportsDirectives reports whether a is the analyzer that reports the
// directives no analyzer of the suite could (malformed, or naming an
// analyzer the suite does not offer).
func ReportsDirectives(a *analysis.Analyzer) bool {
	return current.Load().directiveReporter == a
}

// DriverAppliesNolint reports whether the driver applies //nolint,
// //nolint:all and //nolint:lifeguard itself.
func DriverAppliesNolint() bool { return current.Load().DriverAppliesNolint }

// OmitRelated reports whether findings go without related information.
func OmitRelated() bool { return current.Load().OmitRelated }
