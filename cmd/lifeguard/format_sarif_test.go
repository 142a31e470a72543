package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lifeguard-go/lifeguard/analyzers/suite"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/formattest"
	"github.com/lifeguard-go/lifeguard/internal/leakrecord"
)

// The parts of a SARIF log the tests look at.
type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string `json:"id"`
					HelpURI          string `json:"helpUri"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		ColumnKind  string `json:"columnKind"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level string `json:"level"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			RelatedLocations []struct {
				ID      int `json:"id"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"relatedLocations"`
			CodeFlows []struct {
				ThreadFlows []struct {
					Locations []struct {
						Location struct {
							Message struct {
								Text string `json:"text"`
							} `json:"message"`
							PhysicalLocation struct {
								ArtifactLocation struct {
									URI string `json:"uri"`
								} `json:"artifactLocation"`
								Region struct {
									StartLine int `json:"startLine"`
								} `json:"region"`
							} `json:"physicalLocation"`
						} `json:"location"`
					} `json:"locations"`
				} `json:"threadFlows"`
			} `json:"codeFlows"`
			// What lifeguard test adds.
			Properties struct {
				ConfirmedBy []struct {
					Test string `json:"test"`
				} `json:"confirmedBy"`
				Leak *leakrecord.Record `json:"leak"`
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func parseSARIF(t *testing.T, out string) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("not a SARIF log with one run (%v):\n%s", err, out)
	}
	return doc
}

// checkSARIFRun checks what every lifeguard SARIF log must hold: %SRCROOT%
// is root, every result is under it and names a rule of the full rules
// array, the rules of lifeguard's analyzers link to their docs, the run's
// category is lifeguard's, and there are no hand-made fingerprints.
func checkSARIFRun(t *testing.T, out, root string, analyzers []string) sarifDoc {
	t.Helper()
	doc := parseSARIF(t, out)
	run := doc.Runs[0]
	if got, want := run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(root)+"/"; got != want {
		t.Errorf("%%SRCROOT%% is %q, want the repository root %q", got, want)
	}
	rules := run.Tool.Driver.Rules
	ids := make(map[string]bool)
	for _, r := range rules {
		ids[r.ID] = true
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.HelpURI == "" {
			t.Errorf("rule %s lacks a description or helpUri: %+v", r.ID, r)
		}
	}
	for _, name := range analyzers {
		if !ids[name] {
			t.Errorf("no rule %s among %d rules", name, len(rules))
		}
	}
	for _, a := range suite.Analyzers() {
		i := slices.IndexFunc(rules, func(r struct {
			ID               string `json:"id"`
			HelpURI          string `json:"helpUri"`
			ShortDescription struct {
				Text string `json:"text"`
			} `json:"shortDescription"`
			FullDescription struct {
				Text string `json:"text"`
			} `json:"fullDescription"`
		}) bool {
			return r.ID == a.Name
		})
		if i >= 0 && !strings.HasSuffix(rules[i].HelpURI, "/docs/"+a.Name+".md") {
			t.Errorf("rule %s: helpUri %q, want its docs/%s.md", a.Name, rules[i].HelpURI, a.Name)
		}
	}
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") || strings.Contains(loc.ArtifactLocation.URI, "://") {
			t.Errorf("result %s at %+v: want a URI relative to %%SRCROOT%%", res.RuleID, loc.ArtifactLocation)
		}
	}
	if run.AutomationDetails.ID != "lifeguard/" {
		t.Errorf("automationDetails.id %q, want lifeguard/", run.AutomationDetails.ID)
	}
	if strings.Contains(out, "ingerprints") || strings.Contains(out, "primaryLocationLineHash") {
		t.Errorf("the log has hand-made fingerprints:\n%s", out)
	}
	return doc
}

func analyzerNames(extra ...string) []string {
	var names []string
	for _, a := range append(suite.Analyzers(), suite.Bundled()...) {
		names = append(names, a.Name)
	}
	return append(names, extra...)
}

// TestSARIFSchemaE2E validates the log of the whole e2e fixture, with the
// staticcheck checks and with the broken package's errors as
// notifications, against the official schema.
func TestSARIFSchemaE2E(t *testing.T) {
	t.Parallel()
	r := lifeguard(t, "-format=sarif", "-staticcheck", "./...")
	if r.code != driver.ExitError {
		t.Fatalf("want exit status 2 (the broken package); got %v", r)
	}
	formattest.ValidateSARIF(t, r.stdout)
	var names []string
	for _, a := range suite.Staticcheck() {
		names = append(names, a.Name)
	}
	doc := checkSARIFRun(t, r.stdout, repoRootOf(fixtureDir, fixtureDir), analyzerNames(names...))
	inv := doc.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 {
		t.Errorf("the broken package's errors are not in the invocation: %+v", inv)
	}
	prefix, _ := filepath.Rel(repoRootOf(fixtureDir, fixtureDir), fixtureDir)
	prefix = strings.TrimPrefix(filepath.ToSlash(prefix)+"/", "./")
	for _, w := range fixtureWants(t, "bad") {
		found := false
		for _, res := range doc.Runs[0].Results {
			loc := res.Locations[0].PhysicalLocation
			found = found || res.RuleID == w.analyzer && loc.ArtifactLocation.URI == prefix+w.file && loc.Region.StartLine == w.line
		}
		if !found {
			t.Errorf("no result for %s at %s%s", w, prefix, w.file)
		}
	}
}

// TestSARIFSchemaDemo validates the demo module's log, run as the README
// shows it, from the repository root with -C.
func TestSARIFSchemaDemo(t *testing.T) {
	t.Parallel()
	demo := demoDir(t)
	top := filepath.Dir(filepath.Dir(demo))
	r := runEnv(t, top, nil, lifeguardBin, "-C", "testdata/demo", "-format=sarif", "./...")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("want exit status 0 and no errors; got %v", r)
	}
	formattest.ValidateSARIF(t, r.stdout)
	root := repoRootOf(demo, demo)
	doc := checkSARIFRun(t, r.stdout, root, analyzerNames())
	if n := len(doc.Runs[0].Results); n != 30 {
		t.Errorf("%d results, want the demo's 30", n)
	}
	prefix, _ := filepath.Rel(root, demo)
	related := 0
	for _, res := range doc.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if prefix != "." && !strings.HasPrefix(uri, filepath.ToSlash(prefix)+"/") {
			t.Errorf("result %s at %q, want it relative to the repository root %s", res.RuleID, uri, root)
		}
		related += len(res.RelatedLocations)
		// The return that makes media/transcode.go:39's Start a bug is
		// a related location, where the message says it is.
		if strings.HasSuffix(uri, "media/transcode.go") && res.Locations[0].PhysicalLocation.Region.StartLine == 39 {
			if len(res.RelatedLocations) != 1 {
				t.Fatalf("transcode.go:39: %d related locations, want the return at transcode.go:44", len(res.RelatedLocations))
			}
			rl := res.RelatedLocations[0]
			if rl.PhysicalLocation.ArtifactLocation.URI != uri || rl.PhysicalLocation.Region.StartLine != 44 || rl.PhysicalLocation.Region.StartColumn != 3 ||
				rl.Message.Text != "cmd.Start without Wait on the path returning here" {
				t.Errorf("transcode.go:39: related location %+v, want the return at %s:44:3", rl, uri)
			}
		}
	}
	if related != 21 {
		t.Errorf("%d related locations in the demo's log, want 21 (one per position a message names)", related)
	}
	// The findings about a path carry it as a code flow, step by step:
	// the Start, then the return without Wait.
	flows := 0
	for _, res := range doc.Runs[0].Results {
		if len(res.CodeFlows) == 0 {
			continue
		}
		flows++
		if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 1 || len(res.CodeFlows[0].ThreadFlows[0].Locations) < 2 {
			t.Errorf("result %s: code flows %+v, want one thread flow of two steps or more", res.RuleID, res.CodeFlows)
			continue
		}
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if strings.HasSuffix(uri, "media/transcode.go") && res.Locations[0].PhysicalLocation.Region.StartLine == 39 {
			var steps []string
			for _, l := range res.CodeFlows[0].ThreadFlows[0].Locations {
				steps = append(steps, fmt.Sprintf("%d: %s", l.Location.PhysicalLocation.Region.StartLine, l.Location.Message.Text))
			}
			want := []string{"39: cmd.Start starts the child", "44: the function returns without cmd.Wait"}
			if !slices.Equal(steps, want) {
				t.Errorf("transcode.go:39: code flow %q, want %q", steps, want)
			}
		}
	}
	if flows != 16 {
		t.Errorf("%d results with a code flow in the demo's log, want 16 (every finding about a path)", flows)
	}
}

// TestSARIFSchemaCatchesErrors makes sure the validation is not vacuous: a
// log with a column of 0 or a bad level is rejected.
func TestSARIFSchemaCatchesErrors(t *testing.T) {
	t.Parallel()
	_, module := ciFixture(t)
	r := runEnv(t, module, nil, lifeguardBin, "-format=sarif", "./...")
	formattest.ValidateSARIF(t, r.stdout)
	for _, tc := range []struct{ old, new string }{
		{`"startColumn": `, `"startColumn": 0, "x": `},
		{`"level": "warning"`, `"level": "severe"`},
		{`"version": "2.1.0"`, `"version": "2.0.0"`},
	} {
		bad := strings.Replace(r.stdout, tc.old, tc.new, 1)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if formattest.SARIFSchema(t).Validate(inst) == nil {
			t.Errorf("the schema accepts a log with %s", tc.new)
		}
	}
}

// TestSARIFColumnsInCharacters checks the ci fixture's results: each at its
// line and at the character (not byte) column where the finding starts,
// relative to the repository root.
func TestSARIFColumnsInCharacters(t *testing.T) {
	t.Parallel()
	repo, module := ciFixture(t)
	r := runEnv(t, module, nil, lifeguardBin, "-format=sarif", "./...")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("got %v", r)
	}
	formattest.ValidateSARIF(t, r.stdout)
	doc := checkSARIFRun(t, r.stdout, repo, analyzerNames())
	wants := ciWants(t, module)
	sawWide := false
	for _, w := range wants {
		found := false
		for _, res := range doc.Runs[0].Results {
			loc := res.Locations[0].PhysicalLocation
			if res.RuleID == w.analyzer && loc.ArtifactLocation.URI == "sub/"+w.file && loc.Region.StartLine == w.line {
				found = true
				if loc.Region.StartColumn != w.col {
					t.Errorf("%s:%d: startColumn %d, want %d", w.file, w.line, loc.Region.StartColumn, w.col)
				}
			}
		}
		if !found {
			t.Errorf("no result %s at sub/%s:%d", w.analyzer, w.file, w.line)
		}
		sawWide = sawWide || w.col != w.byteCol
	}
	if !sawWide {
		t.Fatal("the fixture has no finding after a multi-byte character")
	}
	if len(doc.Runs[0].Results) != len(wants) {
		t.Errorf("%d results, want %d", len(doc.Runs[0].Results), len(wants))
	}
}

// --- GitHub ---
