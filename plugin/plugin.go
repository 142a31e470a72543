// Package plugin is lifeguard's golangci-lint module plugin: importing it
// registers the linter "lifeguard", whose analyzers are lifeguard's own and,
// when the settings ask for them, the go vet and staticcheck checks it
// bundles. Build it into golangci-lint with `golangci-lint custom` and
// .custom-gcl.yml; see docs/integrations.md (golangci-lint).
//
// # Shared state
//
// The analyzers are the package-level values that the lifeguard command
// runs too, and their flags (cmdwait's wait-funcs...) are package-level
// state read by their Run. They cannot be copied per plugin instance: the
// analysis facts they share across packages, and lifeguard's shared SSA,
// are keyed by the analyzer values themselves. So the plugin keeps what is
// process-wide as small and as predictable as it can:
//
//   - Knobs: New sets every knob the settings know to exactly its settings,
//     an unset knob to empty, replacing rather than appending (a
//     command-line flag appends), and BuildAnalyzers sets them again. So
//     nothing carries over from an earlier instance, and of two instances
//     alive at once the knobs in force are those of the one that last built
//     its analyzers. golangci-lint makes one instance per run and builds its
//     analyzers at once. New fails without changing anything.
//   - Selection: which analyzers run is per instance. What lifeguard's
//     shared machinery is told is running is the union of what every
//     instance built, so an analyzer of one instance is never starved by
//     another's narrower selection; the cost of a union wider than one
//     instance's is memory held longer, never a finding.
//   - Roots, //nolint and related information: the first New tells the
//     analyzers that the standard library is not being reported on (its
//     facts are built in, so no SSA is built for it); that golangci-lint
//     applies //nolint, //nolint:all and //nolint:lifeguard itself,
//     leaving the analyzers //nolint:<analyzer>, //lifeguard:ignore and
//     //lint:ignore; and that findings go without related information,
//     which golangci-lint would turn into issues of their own that the
//     finding's //nolint does not cover (the message names those
//     positions anyway). All three hold for the rest of the process: the
//     one suite.Configure call that says them is made again, unchanged,
//     each time the union of the selections grows.
package plugin

import (
	"flag"
	"fmt"
	"go/types"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// Name is the linter's name in golangci-lint: the key under
// linters.settings.custom, the name to enable and to write in //nolint.
const Name = "lifeguard"

func init() { register.Plugin(Name, New) }

// Plugin is one configured instance of the linter.
type Plugin struct {
	analyzers []*analysis.Analyzer
	knobs     []knob
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes conf, the settings of linters.settings.custom.lifeguard, with
// register.DecodeSettings into Settings and returns the plugin. Unknown
// keys, unknown analyzer names, an analyzer both enabled and disabled, a
// selection of no analyzer and bad function names are errors, and leave
// the process as it was.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("lifeguard: %w", err)
	}
	analyzers, err := s.selection()
	if err != nil {
		return nil, fmt.Errorf("lifeguard: %w", err)
	}
	p := &Plugin{analyzers: analyzers, knobs: s.knobs()}
	for _, k := range p.knobs {
		if err := validateNames(k); err != nil {
			return nil, fmt.Errorf("lifeguard: %w", err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if err := applyKnobs(p.knobs); err != nil {
		return nil, fmt.Errorf("lifeguard: %w", err)
	}
	configureOnce.Do(configure)
	return p, nil
}

// BuildAnalyzers returns the selected analyzers, in lifeguard's order, with
// this instance's knobs in force.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	mu.Lock()
	defer mu.Unlock()
	if err := applyKnobs(p.knobs); err != nil {
		return nil, fmt.Errorf("lifeguard: %w", err)
	}
	grew := false
	for _, a := range p.analyzers {
		grew = grew || !running[a]
		running[a] = true
	}
	if grew {
		configure()
	}
	return slices.Clone(p.analyzers), nil
}

// GetLoadMode returns register.LoadModeTypesInfo: the analyzers need types,
// and those that use facts run on every package the linted ones import.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// groups are the analyzers the plugin offers, by group, in lifeguard's
// order.
type groups struct {
	own, vet, staticcheck []*analysis.Analyzer
}

func offered() groups {
	return groups{own: suite.Analyzers(), vet: suite.Bundled(), staticcheck: suite.Staticcheck()}
}

func (g groups) all() []*analysis.Analyzer { return slices.Concat(g.own, g.vet, g.staticcheck) }

// byName finds an offered analyzer; names match without regard to case
// (sa1012 is SA1012), since they are unique that way too.
func (g groups) byName(name string) *analysis.Analyzer {
	for _, a := range g.all() {
		if strings.EqualFold(a.Name, strings.TrimSpace(name)) {
			return a
		}
	}
	return nil
}

func (g groups) names() string {
	var names []string
	for _, a := range g.all() {
		names = append(names, a.Name)
	}
	return strings.Join(names, ", ")
}

// selection applies the settings to the default set: lifeguard's own
// analyzers, plus the vet and staticcheck groups when switched on, plus
// Enable, minus Disable.
func (s *Settings) selection() ([]*analysis.Analyzer, error) {
	g := offered()
	on := map[*analysis.Analyzer]bool{}
	for _, a := range g.own {
		on[a] = true
	}
	if s.Vet {
		for _, a := range g.vet {
			on[a] = true
		}
	}
	if s.Staticcheck {
		for _, a := range g.staticcheck {
			on[a] = true
		}
	}
	lookup := func(key, name string) (*analysis.Analyzer, error) {
		a := g.byName(name)
		if a == nil {
			return nil, fmt.Errorf("%s: unknown analyzer %q; the analyzers are %s", key, name, g.names())
		}
		return a, nil
	}
	enabled := map[*analysis.Analyzer]bool{}
	for _, name := range s.Enable {
		a, err := lookup("enable", name)
		if err != nil {
			return nil, err
		}
		enabled[a] = true
		on[a] = true
	}
	for _, name := range s.Disable {
		a, err := lookup("disable", name)
		if err != nil {
			return nil, err
		}
		if enabled[a] {
			return nil, fmt.Errorf("analyzer %s is both enabled and disabled", a.Name)
		}
		on[a] = false
	}
	var list []*analysis.Analyzer
	for _, a := range g.all() {
		if on[a] {
			list = append(list, a)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("the settings select no analyzer; disable the linter instead")
	}
	return list, nil
}

var (
	mu            sync.Mutex
	running       = map[*analysis.Analyzer]bool{} // what any instance built
	configureOnce sync.Once
)

// resetter is the flag.Value of a function-list flag, which can be emptied.
type resetter interface{ Reset() }

// applyKnobs sets each knob's flag to exactly its value. On an error it
// puts back every flag it changed. mu must be held.
func applyKnobs(knobs []knob) error {
	g := offered()
	type saved struct {
		value flag.Value
		old   string
	}
	var changed []saved
	undo := func() {
		for _, c := range slices.Backward(changed) {
			c.value.(resetter).Reset()
			_ = c.value.Set(c.old) // it was valid
		}
	}
	for _, k := range knobs {
		var f *flag.Flag
		if a := g.byName(k.analyzer); a != nil {
			f = a.Flags.Lookup(k.flag)
		}
		if f == nil {
			undo()
			return fmt.Errorf("internal error: analyzer %s has no flag %s", k.analyzer, k.flag)
		}
		r, ok := f.Value.(resetter)
		if !ok {
			undo()
			return fmt.Errorf("internal error: flag %s cannot be reset", k)
		}
		changed = append(changed, saved{f.Value, f.Value.String()})
		r.Reset()
		if err := f.Value.Set(strings.Join(k.value, ",")); err != nil {
			undo()
			return fmt.Errorf("%s: %v", k, err)
		}
	}
	return nil
}

// configure tells the analyzers what holds for every golangci-lint run and
// which analyzers run: the union of what every instance built (none yet,
// at the first New: Running nil leaves that to BuildAnalyzers). mu must be
// held.
func configure() {
	suite.Configure(suite.Config{
		Running:             slices.Collect(maps.Keys(running)),
		IsRoot:              func(p *types.Package) bool { return !suite.IsStd(p.Path()) },
		DriverAppliesNolint: true,
		OmitRelated:         true,
	})
}
