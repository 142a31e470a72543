package main

import "strings"

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
