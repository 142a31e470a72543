// Package analyzerflags knows the analyzers the lifeguard binary offers and
// gives its commands go vet's analyzer flags: -NAME to enable or disable an
// analyzer, -NAME.FLAG for each of its own flags, and -staticcheck for the
// checks that run only when asked for. In vet-tool mode unitchecker
// defines -NAME and -NAME.FLAG itself; VetArgs adapts its command line.
package analyzerflags

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
)

// Offered is what the binary offers: lifeguard's analyzers, the go vet
// analyzers it bundles, and the staticcheck checks that run only when
// asked for (IsOptIn).
func Offered() []*analysis.Analyzer { return suite.All() }

// IsOptIn reports whether a runs only with -staticcheck or its own -NAME
// switch.
func IsOptIn(a *analysis.Analyzer) bool {
	return slices.Contains(suite.Staticcheck(), a)
}

// StaticcheckUsage is the usage of -staticcheck, which IsOptIn's analyzers
// run with.
const StaticcheckUsage = "also run the bundled staticcheck checks (SA1012, SA1029, SA2000, SA2002, SA1015); they build staticcheck's own IR of every package, which costs time and memory"

// Define adds -NAME and -NAME.FLAG to fs for each analyzer.
func Define(fs *flag.FlagSet, analyzers []*analysis.Analyzer) error {
	for _, a := range analyzers {
		if fs.Lookup(a.Name) != nil {
			return fmt.Errorf("analyzer %s: its name is taken by a lifeguard flag", a.Name)
		}
		fs.Var(new(enableSwitch), a.Name, fmt.Sprintf("enable the %s analyzer", a.Name))

		var err error
		a.Flags.VisitAll(func(f *flag.Flag) {
			name := a.Name + "." + f.Name
			if fs.Lookup(name) != nil {
				err = fmt.Errorf("analyzer flag -%s is defined twice", name)
				return
			}
			// Sharing the flag.Value makes the parsed value land in the
			// analyzer's own FlagSet, where its Run reads it.
			fs.Var(f.Value, name, f.Usage)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Selected applies go vet's rule to the -NAME switches that Define added to
// fs and fs parsed: if any is set true, only those analyzers run;
// otherwise all but those set false and, unless optedIn (-staticcheck),
// the opt-in ones.
func Selected(fs *flag.FlagSet, analyzers []*analysis.Analyzer, optedIn bool) []*analysis.Analyzer {
	return choose(analyzers, optedIn, func(a *analysis.Analyzer) enableSwitch {
		return *fs.Lookup(a.Name).Value.(*enableSwitch)
	})
}

// choose is go vet's rule, given how each analyzer's -NAME switch was set.
func choose(analyzers []*analysis.Analyzer, optedIn bool, state func(*analysis.Analyzer) enableSwitch) []*analysis.Analyzer {
	anyTrue := false
	for _, a := range analyzers {
		if state(a) == switchedOn {
			anyTrue = true
		}
	}
	var selected []*analysis.Analyzer
	for _, a := range analyzers {
		s := state(a)
		if anyTrue && s == switchedOn || !anyTrue && s != switchedOff && (optedIn || !IsOptIn(a)) {
			selected = append(selected, a)
		}
	}
	return selected
}

// enableSwitch is a boolean flag that remembers whether it was set at all,
// which a plain bool flag cannot tell apart from its default.
type enableSwitch int

const (
	notSwitched enableSwitch = iota
	switchedOn
	switchedOff
)

func (s *enableSwitch) IsBoolFlag() bool { return true }

func (s *enableSwitch) String() string {
	if s != nil && *s == switchedOff {
		return "false"
	}
	return "true"
}

func (s *enableSwitch) Set(value string) error {
	on, err := strconv.ParseBool(value)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	if on {
		*s = switchedOn
	} else {
		*s = switchedOff
	}
	return nil
}

// VetArgs rewrites a vet-tool command line for unitchecker, which knows
// nothing of opt-in analyzers: it drops -staticcheck and, unless it was
// given, switches each opt-in analyzer off that the line does not name
// itself.
func VetArgs(args []string, analyzers []*analysis.Analyzer) []string {
	on := false
	named := map[string]bool{}
	var out []string
	for i, arg := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || arg == "--" {
			out = append(out, args[i:]...)
			break
		}
		if name == "staticcheck" {
			on = !hasValue || value == "true" || value == "1" || value == "t"
			continue
		}
		named[name] = true
		out = append(out, arg)
	}
	if on {
		return out
	}
	var off []string
	for _, a := range analyzers {
		if IsOptIn(a) && !named[a.Name] {
			off = append(off, "-"+a.Name+"=false")
		}
	}
	return append(off, out...)
}

// VetSelected returns the analyzers that unitchecker runs for the vet-tool
// arguments args (those VetArgs returns, in which the opt-in analyzers not
// asked for are switched off): go vet's rule, as Selected applies it.
func VetSelected(args []string, analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	switches := map[string]enableSwitch{}
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") || arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue {
			value = "true"
		}
		var s enableSwitch
		if s.Set(value) == nil {
			switches[name] = s // -V=full, -NAME.FLAG=list: not switches, ignored
		}
	}
	return choose(analyzers, true, func(a *analysis.Analyzer) enableSwitch { return switches[a.Name] })
}
