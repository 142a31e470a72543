// Package vettool runs lifeguard as a go vet tool (go vet
// -vettool=$(command -v lifeguard)): the go command calls the binary once
// per package, and x/tools' unitchecker does the rest.
package vettool

import (
	"encoding/json"
	"flag"
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/analyzerflags"
)

// Main runs the vet-tool protocol call of os.Args with the analyzers, and
// exits: unitchecker parses os.Args itself (including -NAME and
// -NAME.FLAG).
func Main(analyzers []*analysis.Analyzer) {
	// The go command learns of -staticcheck from -flags, which lists the
	// flags of the command line's FlagSet.
	flag.Bool("staticcheck", false, analyzerflags.StaticcheckUsage)
	args := analyzerflags.VetArgs(os.Args[1:], analyzers)
	// unitchecker selects the analyzers from the flags, as VetSelected
	// does; every package is a root unless the go command wants only this
	// dependency's facts.
	cfg := suite.Config{Running: analyzerflags.VetSelected(args, analyzers)}
	if factsOnly(os.Args[1:]) {
		cfg.IsRoot = func(*types.Package) bool { return false }
	}
	suite.Configure(cfg)
	os.Args = append(os.Args[:1], args...)
	unitchecker.Main(analyzers...)
}

// IsInvocation reports whether the go command is running lifeguard as a
// vet tool (go vet -vettool=lifeguard). The protocol has three calls:
//
//	lifeguard -V=full              identify the executable, for build caching
//	lifeguard -flags               describe the accepted flags as JSON
//	lifeguard [flags] vet.cfg      analyze the one package described by vet.cfg
//
// All three belong to unitchecker, which also parses -NAME and -NAME.FLAG.
// A package pattern never ends in ".cfg", so the last test is unambiguous.
func IsInvocation(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, arg := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if strings.HasPrefix(arg, "-") && (name == "V" || name == "flags") {
			return true
		}
	}
	return false
}

// factsOnly reports whether the vet.cfg that ends args asks for facts only
// (VetxOnly):
// the go command analyzes each dependency of the packages given to go vet
// that way, and shows none of its findings.
func factsOnly(args []string) bool {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	data, err := os.ReadFile(args[len(args)-1])
	if err != nil {
		return false // unitchecker reports it
	}
	var cfg struct{ VetxOnly bool }
	return json.Unmarshal(data, &cfg) == nil && cfg.VetxOnly
}
