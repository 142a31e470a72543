package output

import (
	"bytes"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// TestGitHubEscaping checks the escaping of workflow commands on a report
// made in the test: a file name with : and ,, a message with %, CR and LF
// (from related information too).
func TestGitHubEscaping(t *testing.T) {
	if got, want := escapeProperty("a%b:c,d\re\nf"), "a%25b%3Ac%2Cd%0De%0Af"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	if got, want := escapeData("100%: a,b\r\nc"), "100%25: a,b%0D%0Ac"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	root := t.TempDir()
	name := filepath.Join(root, "we:ird,name.go")
	rep := syntheticReport(root, name, 3)
	rep.Findings[0].Message = "50% of\r\nthe time"
	rep.Findings[0].Related = []findings.Location{{Posn: pos(name, 2, 1), End: pos(name, 2, 1), Message: "because, here: this"}}
	var out bytes.Buffer
	if err := (githubFormat{}).Write(&out, rep); err != nil {
		t.Fatal(err)
	}
	line := strings.Split(out.String(), "\n")[0]
	want := "::warning file=we%3Aird%2Cname.go,line=1,col=1,title=lifeguard/cmdwait::50%25 of%0D%0Athe time%0Awe:ird,name.go:2:1: because, here: this"
	if line != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
	c, ok := formattest.ParseWorkflowCommand(t, line)
	if !ok || c.Props["file"] != "we:ird,name.go" || c.Data != "50% of\r\nthe time\nwe:ird,name.go:2:1: because, here: this" {
		t.Errorf("parsed back as %+v", c)
	}
}

// syntheticReport returns a report of n cmdwait findings in the file name,
// one a line from line 1, with root as the repository root.
func syntheticReport(root, name string, n int) *findings.Report {
	a := &analysis.Analyzer{Name: "cmdwait", URL: "https://example.com/cmdwait"}
	rep := &findings.Report{Analyzers: []*analysis.Analyzer{a}, Paths: positions.NewDisplay(root), Root: positions.NewDisplay(root)}
	for i := range n {
		rep.Findings = append(rep.Findings, &findings.Finding{
			Analyzer: a,
			Posn:     pos(name, i+1, 1),
			End:      pos(name, i+1, 1),
			Message:  "finding " + string(rune('a'+i)),
		})
	}
	return rep
}

func pos(name string, line, col int) token.Position {
	return token.Position{Filename: name, Line: line, Column: col}
}

func TestMarkdownEscape(t *testing.T) {
	if got, want := markdownEscape("(*Server).handle_x | <-ch & `a`\nb"), "(\\*Server).handle\\_x \\| \\<-ch &amp; \\`a\\`<br>b"; got != want {
		t.Errorf("markdownEscape = %q, want %q", got, want)
	}
}
