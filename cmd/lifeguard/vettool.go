package main

import (
	"encoding/json"
	"os"
	"strings"
)

// isVetToolInvocation reports whether the go command is running lifeguard as
// a vet tool (go vet -vettool=lifeguard). The protocol has three calls:
//
//	lifeguard -V=full              identify the executable, for build caching
//	lifeguard -flags               describe the accepted flags as JSON
//	lifeguard [flags] vet.cfg      analyze the one package described by vet.cfg
//
// All three belong to unitchecker, which also parses -NAME and -NAME.FLAG.
// A package pattern never ends in ".cfg", so the last test is unambiguous.
func isVetToolInvocation(args []string) bool {
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

// vetxOnly reports whether the vet.cfg that ends args asks for facts only:
// the go command analyzes each dependency of the packages given to go vet
// that way, and shows none of its findings.
func vetxOnly(args []string) bool {
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
