package analyzerflags

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestVetArgs(t *testing.T) {
	all := Offered()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-json", "x.cfg"}, []string{"-SA1012=false", "-SA1029=false", "-SA2000=false", "-SA2002=false", "-SA1015=false", "-json", "x.cfg"}},
		{[]string{"-staticcheck", "x.cfg"}, []string{"x.cfg"}},
		{[]string{"-staticcheck=false", "-SA2000", "x.cfg"}, []string{"-SA1012=false", "-SA1029=false", "-SA2002=false", "-SA1015=false", "-SA2000", "x.cfg"}},
		{[]string{"-V=full"}, []string{"-SA1012=false", "-SA1029=false", "-SA2000=false", "-SA2002=false", "-SA1015=false", "-V=full"}},
	} {
		if got := VetArgs(tc.args, all); !slices.Equal(got, tc.want) {
			t.Errorf("VetArgs(%q) = %q; want %q", tc.args, got, tc.want)
		}
	}
}

// TestSelected applies go vet's rule to command lines: nothing named runs
// all but the opt-in checks (all with -staticcheck), -NAME=false leaves
// one out, and -NAME runs only the analyzers named so, opt-in or not.
func TestSelected(t *testing.T) {
	all := Offered()
	names := func(as []*analysis.Analyzer) []string {
		var list []string
		for _, a := range as {
			list = append(list, a.Name)
		}
		return list
	}
	var byDefault []string
	for _, a := range all {
		if !IsOptIn(a) {
			byDefault = append(byDefault, a.Name)
		}
	}
	if len(byDefault) == len(all) || len(byDefault) == 0 {
		t.Fatalf("%d of %d analyzers are opt-in; want some", len(all)-len(byDefault), len(all))
	}
	for _, tc := range []struct {
		args    []string
		optedIn bool
		want    []string
	}{
		{nil, false, byDefault},
		{nil, true, names(all)},
		{[]string{"-cmdwait=false"}, false, slices.DeleteFunc(slices.Clone(byDefault), func(n string) bool { return n == "cmdwait" })},
		{[]string{"-pipedrain", "-cmdwait=true"}, false, []string{"cmdwait", "pipedrain"}},
		{[]string{"-SA1029"}, false, []string{"SA1029"}},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		if err := Define(fs, all); err != nil {
			t.Fatal(err)
		}
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := names(Selected(fs, all, tc.optedIn)); !slices.Equal(got, tc.want) {
			t.Errorf("%q (opted in: %v): %q, want %q", tc.args, tc.optedIn, got, tc.want)
		}
	}
}

// TestDefineRefusesTakenNames: an analyzer named like one of the
// command's own flags would make -NAME ambiguous.
func TestDefineRefusesTakenNames(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("cmdwait", false, "a flag of the command's own")
	if err := Define(fs, Offered()); err == nil || !strings.Contains(err.Error(), "analyzer cmdwait: its name is taken") {
		t.Errorf("Define over a taken name: %v", err)
	}
}

// TestVetSelected: what unitchecker runs for the arguments VetArgs makes,
// which the vet tool tells the suite (so that the first analyzer that runs
// reports the directives naming none).
func TestVetSelected(t *testing.T) {
	all := Offered()
	names := func(as []*analysis.Analyzer) string {
		var list []string
		for _, a := range as {
			list = append(list, a.Name)
		}
		return strings.Join(list, ",")
	}
	own := "cmdwait,pipedrain,defercancel,ctxbreak,handlerrecover,cmdcancel,shutdown,lostcancel,httpresponse,sigchanyzer"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-json", "x.cfg"}, own},
		{[]string{"-staticcheck", "x.cfg"}, own + ",SA1012,SA1029,SA2000,SA2002,SA1015"},
		{[]string{"-cmdwait=false", "-cmdwait.wait-funcs=a.B", "x.cfg"}, strings.TrimPrefix(own, "cmdwait,")},
		{[]string{"-pipedrain", "-SA2000=true", "-V=full"}, "pipedrain,SA2000"},
		{[]string{"-ctxbreak=1", "-ctxbreak.x=t", "x.cfg", "-cmdwait"}, "ctxbreak"},
	} {
		if got := names(VetSelected(VetArgs(tc.args, all), all)); got != tc.want {
			t.Errorf("VetSelected(VetArgs(%q)) = %s; want %s", tc.args, got, tc.want)
		}
	}
}
