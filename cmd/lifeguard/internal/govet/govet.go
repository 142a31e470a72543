// Package govet is "lifeguard vet": go vet with lifeguard as its vet tool,
// so that the go command's build cache serves every package whose inputs
// did not change (a re-run on an unchanged module starts lifeguard on no
// package), with the findings printed as the standalone command prints
// them: "file:line:col: message (analyzer)", sorted, each once, with their
// related positions.
package govet

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// Exit statuses, the standalone command's.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

// Run runs go vet -vettool=<this binary> with args (go vet's flags,
// lifeguard's analyzer flags, the packages) and returns the exit status.
// With -json among args, go vet's own JSON is passed through as it is.
func Run(args []string, stdout, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard vet: %v\n", err)
		return exitError
	}
	// The go command takes -C only as the first flag.
	var chdir []string
	if len(args) >= 2 && (args[0] == "-C" || args[0] == "--C") {
		chdir, args = args[:2:2], args[2:]
	} else if len(args) >= 1 && (strings.HasPrefix(args[0], "-C=") || strings.HasPrefix(args[0], "--C=")) {
		chdir, args = args[:1:1], args[1:]
	}
	goVet := func(flags ...string) *exec.Cmd {
		return exec.Command("go", slices.Concat([]string{"vet"}, chdir, []string{"-vettool=" + self}, flags, args)...)
	}
	if wantsJSON(args) {
		cmd := goVet()
		cmd.Stdout, cmd.Stderr = stdout, stderr
		return status(cmd.Run(), stderr)
	}
	var out bytes.Buffer
	cmd := goVet("-json")
	cmd.Stdout, cmd.Stderr = &out, stderr // build errors and "# pkg" lines go to the user as they come
	runErr := cmd.Run()

	cwd, _ := os.Getwd()
	found, analyzerErrs, err := decode(&out)
	if err != nil {
		fmt.Fprintf(stderr, "lifeguard vet: reading go vet's output: %v\n", err)
		return exitError
	}
	show := positions.NewDisplay(cwd)
	for _, f := range found {
		fmt.Fprintf(stdout, "%s: %s (%s)\n", show.Position(f.Posn), f.Message, f.analyzer)
		for _, r := range f.Related {
			fmt.Fprintf(stdout, "\t%s: %s\n", show.Position(r.Posn), r.Message)
		}
	}
	for _, e := range analyzerErrs {
		fmt.Fprintf(stderr, "lifeguard: %s\n", e)
	}
	switch {
	case runErr != nil:
		// With -json, go vet fails only when a package does not build or
		// the tool could not run: errors, already on stderr.
		status(runErr, stderr)
		return exitError
	case len(analyzerErrs) > 0:
		return exitError
	case len(found) > 0:
		return exitFindings
	}
	return exitClean
}

// wantsJSON reports whether args ask for go vet's JSON (-json, -json=true)
// before the packages.
func wantsJSON(args []string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return false
		}
		if name, val, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); name == "json" && val != "false" {
			return true
		}
	}
	return false
}

// status is the exit status for the go command's outcome: its own, or 2
// when it could not run.
func status(err error, stderr io.Writer) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &exit):
		if exit.ExitCode() == exitFindings {
			return exitFindings
		}
		return exitError
	}
	fmt.Fprintf(stderr, "lifeguard vet: %v\n", err)
	return exitError
}

// A finding is one diagnostic of go vet's JSON, with its analyzer.
type finding struct {
	analyzer string
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// decode reads go vet's JSON: one object per package, package -> analyzer
// -> diagnostics or {"error": ...}. It returns the findings sorted by
// position, each once (a package and its test variant share files), and
// the analyzers' errors.
func decode(r io.Reader) ([]*finding, []string, error) {
	var found []*finding
	var errs []string
	seen := make(map[string]bool)
	dec := json.NewDecoder(r)
	for dec.More() {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			return nil, nil, err
		}
		for _, pkg := range slices.Sorted(maps.Keys(tree)) {
			for _, analyzer := range slices.Sorted(maps.Keys(tree[pkg])) {
				raw := tree[pkg][analyzer]
				var diags []*finding
				if err := json.Unmarshal(raw, &diags); err != nil {
					var e struct {
						Error string `json:"error"`
					}
					if json.Unmarshal(raw, &e) != nil {
						return nil, nil, fmt.Errorf("%s: %s: %v", pkg, analyzer, err)
					}
					errs = append(errs, pkg+": "+analyzer+": "+e.Error)
					continue
				}
				for _, d := range diags {
					key := analyzer + "\x00" + d.Posn + "\x00" + d.Message
					if seen[key] {
						continue
					}
					seen[key] = true
					d.analyzer = analyzer
					found = append(found, d)
				}
			}
		}
	}
	slices.SortFunc(found, compare)
	return found, errs, nil
}

// compare orders findings as the standalone report does: file, line,
// column, analyzer, message.
func compare(x, y *finding) int {
	xf, xl, xc := split(x.Posn)
	yf, yl, yc := split(y.Posn)
	return cmp.Or(cmp.Compare(xf, yf), cmp.Compare(xl, yl), cmp.Compare(xc, yc),
		cmp.Compare(x.analyzer, y.analyzer), cmp.Compare(x.Message, y.Message))
}

func split(posn string) (file string, line, col int) {
	file, rest := positions.Split(posn)
	parts := strings.Split(strings.TrimPrefix(rest, ":"), ":")
	if len(parts) > 0 {
		line, _ = strconv.Atoi(parts[0])
	}
	if len(parts) > 1 {
		col, _ = strconv.Atoi(parts[1])
	}
	return file, line, col
}
