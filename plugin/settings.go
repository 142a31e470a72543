package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
//
// The default set is lifeguard's own analyzers (cmdwait, pipedrain,
// defercancel, ctxbreak, handlerrecover). Unlike the lifeguard command, the
// plugin leaves the bundled go vet and staticcheck checks off by default:
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

	// The analyzers' own flags, -ANALYZER.FLAG on the command line.
	Cmdwait        CmdwaitSettings        `json:"cmdwait"`
	Pipedrain      PipedrainSettings      `json:"pipedrain"`
	Defercancel    DefercancelSettings    `json:"defercancel"`
	Handlerrecover HandlerrecoverSettings `json:"handlerrecover"`
}

// CmdwaitSettings are cmdwait's flags.
type CmdwaitSettings struct {
	// WaitFuncs: -cmdwait.wait-funcs, extra functions that wait for every
	// *exec.Cmd or *os.Process argument.
	WaitFuncs FuncNames `json:"wait-funcs"`
}

// PipedrainSettings are pipedrain's flags.
type PipedrainSettings struct {
	// DrainFuncs: -pipedrain.drain-funcs, extra functions that read a pipe
	// argument to EOF.
	DrainFuncs FuncNames `json:"drain-funcs"`
	// CloseFuncs: -pipedrain.close-funcs, extra functions that close a
	// pipe argument.
	CloseFuncs FuncNames `json:"close-funcs"`
}

// DefercancelSettings are defercancel's flags.
type DefercancelSettings struct {
	// CancelFuncs: -defercancel.cancel-funcs, extra functions whose
	// cancel-function results belong to a context each call makes.
	CancelFuncs FuncNames `json:"cancel-funcs"`
}

// HandlerrecoverSettings are handlerrecover's flags.
type HandlerrecoverSettings struct {
	// RecoverFuncs: -handlerrecover.recover-funcs, extra functions that
	// stop a panic when deferred.
	RecoverFuncs FuncNames `json:"recover-funcs"`
	// WrapperFuncs: -handlerrecover.wrapper-funcs, extra functions that
	// run their func arguments under a deferred recover.
	WrapperFuncs FuncNames `json:"wrapper-funcs"`
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

// knobs lists every analyzer flag the settings know, set or not: an unset
// one is emptied, so that nothing lingers from an earlier configuration in
// the same process.
func (s *Settings) knobs() []knob {
	return []knob{
		{"cmdwait", "wait-funcs", s.Cmdwait.WaitFuncs},
		{"pipedrain", "drain-funcs", s.Pipedrain.DrainFuncs},
		{"pipedrain", "close-funcs", s.Pipedrain.CloseFuncs},
		{"defercancel", "cancel-funcs", s.Defercancel.CancelFuncs},
		{"handlerrecover", "recover-funcs", s.Handlerrecover.RecoverFuncs},
		{"handlerrecover", "wrapper-funcs", s.Handlerrecover.WrapperFuncs},
	}
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
