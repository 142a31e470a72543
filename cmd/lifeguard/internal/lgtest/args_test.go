package lgtest

import (
	"flag"
	"slices"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/output"
)

func TestSplitTestArgs(t *testing.T) {
	newFS := func() (*flag.FlagSet, *string, *bool) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		format := "text"
		fs.StringVar(&format, "format", format, "")
		fs.Var(output.JSONFlag{Format: &format}, "json", "")
		sc := fs.Bool("staticcheck", false, "")
		fs.String("C", "", "")
		return fs, &format, sc
	}
	fs, format, sc := newFS()
	ta, err := splitTestArgs(fs, []string{"-v", "-json", "-run", "TestX", "./a", "-count=2", "-tags", "a,b", "-staticcheck", "./b/...", "-args", "-x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	if *format != "json" || !*sc {
		t.Errorf("lifeguard flags not taken: format %q, staticcheck %v", *format, *sc)
	}
	if want := []string{"-v", "-run=TestX", "-count=2"}; !slices.Equal(ta.goFlags, want) {
		t.Errorf("go test flags %q, want %q", ta.goFlags, want)
	}
	if !slices.Equal(ta.packages, []string{"./a", "./b/..."}) || !slices.Equal(ta.tags, []string{"a", "b"}) || !slices.Equal(ta.binArgs, []string{"-args", "-x", "y"}) {
		t.Errorf("packages %q, tags %q, binary args %q", ta.packages, ta.tags, ta.binArgs)
	}

	fs, _, _ = newFS()
	ta, err = splitTestArgs(fs, []string{"-overlay", "o.json", "-coverpkg=./...", "--", "-weird"})
	if err != nil {
		t.Fatal(err)
	}
	if ta.overlay != "o.json" || ta.coverpkg != "./..." || !slices.Equal(ta.packages, []string{"-weird"}) {
		t.Errorf("overlay %q, coverpkg %q, packages %q", ta.overlay, ta.coverpkg, ta.packages)
	}

	for _, args := range [][]string{{"-c"}, {"-test.c"}, {"-trimpath"}, {"-run"}, {"-format"}} {
		fs, _, _ := newFS()
		if _, err := splitTestArgs(fs, args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

func TestOverlaidCoverage(t *testing.T) {
	for pattern, want := range map[string]bool{
		"all": true, "std": true, "os": true, "os/...": true, "net/...": true, "...": true, "i...": true,
		"./...": false, "example.com/x/...": false, "os/exec": true, "testing": true, "io/fs": false, "": false,
		"example.com/a,io": true,
	} {
		if _, got := overlaidCoverage(pattern); got != want {
			t.Errorf("overlaidCoverage(%q) = %v, want %v", pattern, got, want)
		}
	}
}
