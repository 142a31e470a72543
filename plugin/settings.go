package plugin

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Settings are the plugin's settings, linters.settings.custom.lifeguard.settings
// in .golangci.yml. Keys are lowercase and dashed, as golangci-lint (viper)
// lowercases every key and takes dots for nesting; an unknown key is an
// error.
//
//	settings:
//	  enable: [lostcancel, SA2000]   # add analyzers to the default set
//	  disable: [ctxbreak]            # remove analyzers, after everything else
//	  vet: false                     # lostcancel, httpresponse, sigchanyzer
//	  staticcheck: false             # SA1012, SA1029, SA2000, SA2002, SA1015
//	  cmdwait:
//	    wait-funcs: ["example.com/internal/run.Reap"]
//	  cmdcancel:
//	    spawners: [make, npm]        # programs that start children of their own
//
// The default set is lifeguard's own analyzers (cmdwait, pipedrain,
// defercancel, ctxbreak, handlerrecover, cmdcancel, shutdown). Unlike the
// lifeguard command, the plugin leaves the bundled go vet and staticcheck checks off by default:
// golangci-lint's own govet and staticcheck linters, both in its standard
// set, run the same analyzers, and the plugin running them too would
// report each finding twice.
type Settings struct {
	// Enable adds analyzers, by name, to the default set.
	Enable []string `json:"enable"`
	// Disable removes analyzers, by name; it wins over everything else.
	Disable []string `json:"disable"`
	// Vet adds the bundled go vet analyzers: lostcancel, httpresponse,
	// sigchanyzer.
	Vet bool `json:"vet"`
	// Staticcheck adds the bundled staticcheck checks: SA1012, SA1029,
	// SA2000, SA2002, SA1015.
	Staticcheck bool `json:"staticcheck"`

	// Flags holds the analyzers' own flags, -ANALYZER.FLAG on the command
	// line: the key is the analyzer's name, its value an object of flag
	// names. Every flag of every analyzer the plugin offers is a setting
	// this way, with no key of its own to declare; each is a list (of
	// functions, or for cmdcancel.spawners of program names).
	Flags map[string]map[string]FuncNames `json:"-"`
}

// UnmarshalJSON decodes the settings, the analyzers' flags by the
// analyzers' own flag sets. An unknown key, an unknown flag or a value of
// the wrong type is an error, as register.DecodeSettings makes them for
// the other keys.
func (s *Settings) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	g := offered()
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		value := raw[key]
		var err error
		switch key {
		case "enable":
			err = json.Unmarshal(value, &s.Enable)
		case "disable":
			err = json.Unmarshal(value, &s.Disable)
		case "vet":
			err = json.Unmarshal(value, &s.Vet)
		case "staticcheck":
			err = json.Unmarshal(value, &s.Staticcheck)
		default:
			err = s.decodeFlags(g, key, value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// decodeFlags decodes the flags of the analyzer named key.
func (s *Settings) decodeFlags(g groups, key string, value json.RawMessage) error {
	var a *analysis.Analyzer
	for _, c := range g.all() {
		if c.Name == key && hasFlags(c) {
			a = c
		}
	}
	if a == nil {
		return fmt.Errorf("json: unknown field %q", key)
	}
	var flags map[string]json.RawMessage
	if err := json.Unmarshal(value, &flags); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		if a.Flags.Lookup(name) == nil {
			return fmt.Errorf("json: unknown field %q", name)
		}
		var names FuncNames
		if err := json.Unmarshal(flags[name], &names); err != nil {
			return fmt.Errorf("%s.%s: %w", key, name, err)
		}
		if s.Flags == nil {
			s.Flags = map[string]map[string]FuncNames{}
		}
		if s.Flags[a.Name] == nil {
			s.Flags[a.Name] = map[string]FuncNames{}
		}
		s.Flags[a.Name][name] = names
	}
	return nil
}

func hasFlags(a *analysis.Analyzer) bool {
	has := false
	a.Flags.VisitAll(func(*flag.Flag) { has = true })
	return has
}

// FuncNames is a list of functions, each "pkg/path.Func" or
// "(*pkg/path.T).Method". In YAML it is a list, or one string of
// comma-separated names as on the command line.
type FuncNames []string

// UnmarshalJSON accepts a list of strings or one comma-separated string.
func (f *FuncNames) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err == nil {
		*f = list
		return nil
	}
	var one string
	if err := json.Unmarshal(data, &one); err != nil {
		return errors.New("want a list of function names or one comma-separated string")
	}
	*f = nil
	for part := range strings.SplitSeq(one, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*f = append(*f, part)
		}
	}
	return nil
}

// knob is one analyzer flag and the value the settings give it.
type knob struct {
	analyzer, flag string
	value          []string
}

func (k knob) String() string { return k.analyzer + "." + k.flag }

// knobs lists every flag of every analyzer the plugin offers and the value
// the settings give it, set or not: an unset one is emptied, so that
// nothing lingers from an earlier configuration in the same process.
func (s *Settings) knobs() []knob {
	var list []knob
	for _, a := range offered().all() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			list = append(list, knob{a.Name, f.Name, s.Flags[a.Name][f.Name]})
		})
	}
	return list
}

// validateNames rejects empty entries, which the analyzers' flags would
// skip without a word; the names themselves are parsed by the flags.
func validateNames(k knob) error {
	for _, name := range k.value {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("%s: empty function name: want \"pkg/path.Func\" or \"(*pkg/path.T).Method\"", k)
		}
	}
	return nil
}
