package plugin

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// golangci-lint takes the fixes from the analyzers' diagnostics as they
// are (--fix applies them): the plugin's cmdwait carries its suggested
// fixes, the same as the analyzer's own tests expect.
func TestPluginCarriesFixes(t *testing.T) {
	as, err := mustNew(t, nil).BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Name == "cmdwait" {
			dir, err := filepath.Abs("../analyzers/cmdwait/testdata")
			if err != nil {
				t.Fatal(err)
			}
			analysistest.RunWithSuggestedFixes(t, dir, a, "cmdwait/fixes")
			return
		}
	}
	t.Fatal("the plugin has no cmdwait")
}
