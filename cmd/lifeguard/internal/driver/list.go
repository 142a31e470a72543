package driver

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"golang.org/x/tools/go/analysis"
)

// printList prints, for -list, each analyzer's name, the first line of its
// documentation and, on the next line, its URL.
func printList(w io.Writer, analyzers []*analysis.Analyzer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, a := range analyzers {
		fmt.Fprintf(tw, "%s\t%s\n", a.Name, firstLine(a.Doc))
		if a.URL != "" {
			fmt.Fprintf(tw, "\t%s\n", a.URL)
		}
	}
	tw.Flush()
}

// printHelp implements "lifeguard help [analyzer...]": with no names, the
// usage; with names, each analyzer's full documentation and flags.
func printHelp(stdout, stderr io.Writer, analyzers []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		fs, _, err := newFlagSet(analyzers)
		if err != nil {
			fmt.Fprintf(stderr, "lifeguard: %v\n", err)
			return ExitError
		}
		printUsage(stdout, fs)
		return ExitClean
	}
	status := ExitClean
	printed := false
	for _, name := range names {
		a := findAnalyzer(analyzers, name)
		if a == nil {
			fmt.Fprintf(stderr, "lifeguard: no analyzer named %q (see lifeguard -list)\n", name)
			status = ExitError
			continue
		}
		if printed {
			fmt.Fprintln(stdout)
		}
		printed = true
		fmt.Fprintf(stdout, "%s: %s\n", a.Name, strings.TrimSpace(a.Doc))
		if a.URL != "" && !strings.Contains(a.Doc, a.URL) {
			fmt.Fprintf(stdout, "\n%s\n", a.URL)
		}
		first := true
		a.Flags.VisitAll(func(f *flag.Flag) {
			if first {
				fmt.Fprintf(stdout, "\nFlags:\n")
				first = false
			}
			fmt.Fprintf(stdout, "  -%s.%s\n    \t%s", a.Name, f.Name, f.Usage)
			if f.DefValue != "" {
				fmt.Fprintf(stdout, " (default %q)", f.DefValue)
			}
			fmt.Fprintln(stdout)
		})
	}
	return status
}

func findAnalyzer(analyzers []*analysis.Analyzer, name string) *analysis.Analyzer {
	for _, a := range analyzers {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
