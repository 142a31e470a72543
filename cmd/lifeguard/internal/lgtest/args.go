package lgtest

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
)

// The command line of "lifeguard test" mixes lifeguard's flags, go test's
// flags, package patterns and, after -args, the test binary's arguments:
//
//	lifeguard test [lifeguard flags] [go test flags] [packages] [-args ...]
//
// lifeguard's flags (-C, -json, -format, -staticcheck, -NAME, -NAME.FLAG)
// are taken out wherever they appear before -args; every other argument
// goes to go test in its order. To tell package patterns from flag values,
// the go test flags that take a value are listed here: "-run TestX" is one
// flag, and TestX is not a package.

// goTestValueFlags are the go build and go test flags that take a value,
// and so may take it from the next argument.
var goTestValueFlags = setOf(
	// go build
	"p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags",
	"installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir",
	"tags", "toolexec", "covermode", "coverpkg",
	// go test
	"o", "exec", "vet", "bench", "benchtime", "count", "cpu", "fuzz",
	"fuzztime", "fuzzminimizetime", "list", "outputdir", "parallel", "run",
	"shuffle", "skip", "timeout", "blockprofile", "blockprofilerate",
	"coverprofile", "cpuprofile", "memprofile", "memprofilerate",
	"mutexprofile", "mutexprofilefraction", "trace",
)

// goTestRejected are go test flags that defeat lifeguard test, with why.
var goTestRejected = map[string]string{
	"c":        "lifeguard test runs the tests; -c only compiles them",
	"n":        "lifeguard test runs the tests; -n only prints the commands",
	"o":        "lifeguard test runs the tests; -o keeps the binary instead",
	"trimpath": "-trimpath removes the absolute file names that runtime leaks are matched to findings by",
}

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// testArgs is a "lifeguard test" command line, split.
type testArgs struct {
	goFlags  []string // go test's flags, in order, without -tags and -overlay
	tags     []string // from -tags (the last one, as go test takes it)
	overlay  string   // the user's own -overlay file, merged with lifeguard's
	coverpkg string   // -coverpkg, checked against the overlay's packages
	packages []string // package patterns
	binArgs  []string // -args and what follows
}

// splitTestArgs parses args: lifeguard's own flags into fs, the rest into
// a testArgs.
func splitTestArgs(fs *flag.FlagSet, args []string) (*testArgs, error) {
	ta := new(testArgs)
	var lifeguardArgs []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "-args" || arg == "--args" {
			ta.binArgs = args[i:]
			break
		}
		if arg == "--" {
			// Everything after is go test's, unexamined.
			ta.packages = append(ta.packages, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			ta.packages = append(ta.packages, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		if f := fs.Lookup(name); f != nil {
			lifeguardArgs = append(lifeguardArgs, arg)
			if !hasValue && !isBoolFlag(f) {
				if i+1 == len(args) {
					return nil, fmt.Errorf("flag needs an argument: -%s", name)
				}
				i++
				lifeguardArgs = append(lifeguardArgs, args[i])
			}
			continue
		}
		bare := strings.TrimPrefix(name, "test.") // -test.run is -run
		if why, ok := goTestRejected[bare]; ok {
			return nil, fmt.Errorf("-%s: %s", name, why)
		}
		if goTestValueFlags[bare] && !hasValue {
			if i+1 == len(args) {
				return nil, fmt.Errorf("flag needs an argument: -%s", name)
			}
			i++
			value, hasValue = args[i], true
		}
		switch name {
		case "tags":
			ta.tags = splitTags(value)
			continue
		case "overlay":
			ta.overlay = value
			continue
		case "coverpkg":
			ta.coverpkg = value
		}
		if hasValue {
			ta.goFlags = append(ta.goFlags, "-"+name+"="+value)
		} else {
			ta.goFlags = append(ta.goFlags, "-"+name)
		}
	}
	if err := fs.Parse(lifeguardArgs); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, errors.New("internal error: lifeguard flags left arguments")
	}
	return ta, nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// splitTags splits a -tags value: comma-separated, or space-separated as
// the go command still accepts.
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// goFlagsSetting returns the value the GOFLAGS setting gives flag name
// (the last one wins, as in the go command), and whether it sets it.
func goFlagsSetting(goflags, name string) (string, bool) {
	value, found := "", false
	for _, f := range strings.Fields(goflags) {
		n, v, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if n == name {
			value, found = v, true
		}
	}
	return value, found
}

// overlaidPackages are the packages whose files the overlay replaces.
var overlaidPackages = []string{"io", "net", "os", "os/exec", "testing", runtimeCopyDir}

// overlaidCoverage returns the element of a -coverpkg value that selects
// one of the overlaid packages, if any. The go command instruments the
// original files of the packages it covers and drops their overlay, and
// then fails to find the overlay's new files (golang.org/issue/73802).
func overlaidCoverage(coverpkg string) (string, bool) {
	for _, p := range strings.Split(coverpkg, ",") {
		if p == "all" || p == "std" {
			return p, true
		}
		for _, pkg := range overlaidPackages {
			if matchPackagePattern(p, pkg) {
				return p, true
			}
		}
	}
	return "", false
}

// matchPackagePattern reports whether the go command's package pattern
// (not a relative one: those name the user's packages) matches the import
// path pkg: "..." matches any string, and "x/..." matches x itself too.
func matchPackagePattern(pattern, pkg string) bool {
	if pattern == "" || pattern == "." || pattern == ".." || strings.HasPrefix(pattern, "./") ||
		strings.HasPrefix(pattern, "../") || strings.HasPrefix(pattern, "/") {
		return false
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok && base == pkg {
		return true
	}
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\.\.\.`, ".*") + "$"
	ok, _ := regexp.MatchString(re, pkg)
	return ok
}
