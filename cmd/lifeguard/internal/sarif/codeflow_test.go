package sarif

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

// The parts of a log TestCodeFlows reads back.
type flowLog struct {
	Runs []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Results []struct {
			RelatedLocations []Location `json:"relatedLocations"`
			CodeFlows        []struct {
				ThreadFlows []struct {
					Locations []struct {
						Location Location `json:"location"`
					} `json:"locations"`
				} `json:"threadFlows"`
			} `json:"codeFlows"`
		} `json:"results"`
	} `json:"runs"`
}

// TestCodeFlows writes the log of two findings made here, one about a path
// (as cmdwait's Start without Wait is) and one not, in a repository whose
// file has a multi-byte character before the steps: the log validates
// against the SARIF 2.1.0 schema, the path finding has one code flow of
// one thread flow whose locations are its steps, named and counted as
// related locations are (relative to %SRCROOT%, columns in characters),
// with the steps' messages; its related locations are as they were; the
// other finding has no code flow; and the run's category is lifeguard's.
func TestCodeFlows(t *testing.T) {
	root := t.TempDir()
	name := filepath.Join(root, "svc", "run.go")
	src := "package svc\n\nfunc Run() {\n\té := cmd.Start()\n\tif é != nil {\n\t\treturn\n\t}\n}\n"
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	byteCol := func(line int, sub string) int {
		return strings.Index(strings.Split(src, "\n")[line-1], sub) + 1
	}
	at := func(line int, sub string) token.Position {
		return token.Position{Filename: name, Line: line, Column: byteCol(line, sub)}
	}
	a := &analysis.Analyzer{Name: "cmdwait", Doc: "report Start without Wait", URL: "https://example.com/cmdwait"}
	start, ret := at(4, "cmd.Start"), at(6, "return")
	pathFinding := &findings.Finding{
		Analyzer: a, Posn: start, End: at(4, "()"),
		Message: "cmd.Start without Wait on the path returning at run.go:6",
		Related: []findings.Location{{Posn: ret, End: ret, Message: "cmd.Start without Wait on the path returning here"}},
		Path: []findings.Location{
			{Posn: start, End: at(4, "()"), Message: "the child starts"},
			{Posn: at(5, "if"), End: at(5, "if"), Message: "é != nil"},
			{Posn: ret, End: ret, Message: "returns without cmd.Wait"},
		},
		Fingerprint: "cmd.Start without Wait on the path returning at run.go",
	}
	plain := &findings.Finding{Analyzer: a, Posn: at(5, "é"), End: at(5, "é"), Message: "not about a path"}
	rep := &findings.Report{
		Analyzers: []*analysis.Analyzer{a},
		Findings:  []*findings.Finding{pathFinding, plain},
		Paths:     positions.NewDisplay(root),
		Root:      positions.NewDisplay(root),
	}
	var out bytes.Buffer
	if err := Write(&out, rep, nil); err != nil {
		t.Fatal(err)
	}
	formattest.ValidateSARIF(t, out.String())

	var log flowLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.AutomationDetails.ID != "lifeguard/" {
		t.Errorf("automationDetails.id %q, want lifeguard/", run.AutomationDetails.ID)
	}
	res := run.Results[0]
	if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 1 {
		t.Fatalf("code flows %+v, want one with one thread flow", res.CodeFlows)
	}
	steps := res.CodeFlows[0].ThreadFlows[0].Locations
	if len(steps) != len(pathFinding.Path) {
		t.Fatalf("%d thread flow locations, want the path's %d steps", len(steps), len(pathFinding.Path))
	}
	for i, want := range []struct {
		line, col int // col in characters: é is two bytes
		msg       string
	}{
		{4, 7, "the child starts"},
		{5, 2, "é != nil"},
		{6, 3, "returns without cmd.Wait"},
	} {
		l := steps[i].Location
		pl := l.PhysicalLocation
		if pl.ArtifactLocation.URI != "svc/run.go" || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
			pl.Region == nil || pl.Region.StartLine != want.line || pl.Region.StartColumn != want.col ||
			l.Message == nil || l.Message.Text != want.msg {
			t.Errorf("step %d: %+v %+v, want svc/run.go:%d:%d under %%SRCROOT%% saying %q", i, pl, l.Message, want.line, want.col, want.msg)
		}
	}
	if first := steps[0].Location.PhysicalLocation.Region; first.EndLine != 4 || first.EndColumn != byteCol(4, "()")-1 {
		t.Errorf("first step's region %+v, want it to end at 4:%d (characters)", first, byteCol(4, "()")-1)
	}
	if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].PhysicalLocation.Region.StartLine != 6 ||
		res.RelatedLocations[0].ID == nil || *res.RelatedLocations[0].ID != 1 {
		t.Errorf("related locations %+v, want the return at line 6 with id 1", res.RelatedLocations)
	}
	if flows := run.Results[1].CodeFlows; flows != nil {
		t.Errorf("a finding about no path has code flows %+v", flows)
	}
}

// TestCodeFlowSchemaIsChecked makes sure the validation of code flows is
// not vacuous: of two logs that differ only there, the one whose thread
// flow has a location is accepted and the one whose thread flow has none
// is rejected.
func TestCodeFlowSchemaIsChecked(t *testing.T) {
	const log = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lifeguard"}},
		"results": [{"message": {"text": "m"}, "codeFlows": [{"threadFlows": [{"locations": [LOCATIONS]}]}]}]}]}`
	good := strings.Replace(log, "LOCATIONS", `{"location": {"message": {"text": "a step"}}}`, 1)
	formattest.ValidateSARIF(t, good)
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(log, "LOCATIONS", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if formattest.SARIFSchema(t).Validate(inst) == nil {
		t.Error("the schema accepts a thread flow with no locations")
	}
}
