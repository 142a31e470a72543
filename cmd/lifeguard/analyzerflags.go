package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// This file gives the standalone command go vet's analyzer flags: -NAME to
// enable or disable an analyzer and -NAME.FLAG for each of its own flags. In
// vet-tool mode unitchecker defines the same flags itself.

// defineAnalyzerFlags adds -NAME and -NAME.FLAG to fs for each analyzer.
func defineAnalyzerFlags(fs *flag.FlagSet, analyzers []*analysis.Analyzer) error {
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

// selectAnalyzers applies go vet's rule to the parsed -NAME switches: if any
// is set true, only those analyzers run; otherwise all but those set false
// and, unless optedIn, the optIn ones.
func selectAnalyzers(fs *flag.FlagSet, analyzers []*analysis.Analyzer, optedIn bool) []*analysis.Analyzer {
	state := func(a *analysis.Analyzer) enableSwitch {
		return *fs.Lookup(a.Name).Value.(*enableSwitch)
	}
	anyTrue := false
	for _, a := range analyzers {
		if state(a) == switchedOn {
			anyTrue = true
		}
	}
	var selected []*analysis.Analyzer
	for _, a := range analyzers {
		s := state(a)
		if anyTrue && s == switchedOn || !anyTrue && s != switchedOff && (optedIn || !optIn[a]) {
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

// vetArgs rewrites a vet-tool command line for unitchecker, which knows
// nothing of opt-in analyzers: it drops -staticcheck and, unless it was
// given, switches each opt-in analyzer off that the line does not name
// itself.
func vetArgs(args []string, analyzers []*analysis.Analyzer) []string {
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
		if optIn[a] && !named[a.Name] {
			off = append(off, "-"+a.Name+"=false")
		}
	}
	return append(off, out...)
}
