package analyzertest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

type recorder struct{ errors []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestTypeCheckGolden(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	TypeCheckGolden(t, dir, "fine")

	var rec recorder
	TypeCheckGolden(&rec, dir, "broken")
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], `"fmt" imported and not used`) {
		t.Errorf("broken golden file: errors %q, want one about the unused import", rec.errors)
	}

	rec = recorder{}
	TypeCheckGolden(&rec, dir, "missing")
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "no .go.golden files") {
		t.Errorf("package without golden files: errors %q, want one", rec.errors)
	}
}
