package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/driver"
)

// A gitlabIssueOut is what the tests read back from -format=gitlab.
type gitlabIssueOut struct {
	Type        string `json:"type"`
	CheckName   string `json:"check_name"`
	Description string `json:"description"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path      string `json:"path"`
		Positions struct {
			Begin struct {
				Line   int `json:"line"`
				Column int `json:"column"`
			} `json:"begin"`
		} `json:"positions"`
	} `json:"location"`
}

func decodeGitLab(t *testing.T, out string) []gitlabIssueOut {
	t.Helper()
	var issues []gitlabIssueOut
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("not a JSON array of issues: %v\n%s", err, out)
	}
	return issues
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestGitLabFormat decodes the code-quality report of the CI fixture: one
// issue per finding with the fields GitLab requires, paths relative to the
// repository root, character columns, and a fingerprint of its own for each
// finding (the two of Twice included) that stays the same when unrelated
// code is inserted above every finding.
func TestGitLabFormat(t *testing.T) {
	t.Parallel()
	_, module := ciFixture(t)
	r := runEnv(t, module, nil, lifeguardBin, "-format=gitlab", "./...")
	if r.code != driver.ExitClean || r.stderr != "" {
		t.Fatalf("want exit status 0 despite findings, nothing on stderr; got %v", r)
	}
	issues := decodeGitLab(t, r.stdout)
	wants := ciWants(t, module)
	if len(issues) != len(wants) {
		t.Fatalf("%d issues, want %d:\n%s", len(issues), len(wants), r.stdout)
	}
	var fingerprints []string
	for i, w := range wants {
		is := issues[i]
		begin := is.Location.Positions.Begin
		if is.Type != "issue" || is.CheckName != "lifeguard/"+w.analyzer || is.Location.Path != "sub/"+w.file ||
			begin.Line != w.line || begin.Column != w.col || is.Severity != "major" || is.Description == "" {
			t.Errorf("issue %+v, want lifeguard/%s at sub/%s:%d:%d (characters), severity major", is, w.analyzer, w.file, w.line, w.col)
		}
		if !sha256Hex.MatchString(is.Fingerprint) {
			t.Errorf("fingerprint %q is not a hex SHA-256", is.Fingerprint)
		}
		fingerprints = append(fingerprints, is.Fingerprint)
	}
	if !strings.Contains(issues[1].Description, `"echo 100%, a:b"`) {
		t.Errorf("description %q does not survive JSON", issues[1].Description)
	}
	if unique := slices.Compact(slices.Sorted(slices.Values(fingerprints))); len(unique) != len(fingerprints) {
		t.Errorf("fingerprints are not unique: %v", fingerprints)
	}

	// Unrelated code above every finding moves them all; GitLab must still
	// see the same issues.
	inserted := insertAfterImports(t, filepath.Join(module, "svc", "svc.go"), "// Unrelated is new.\nfunc Unrelated() int {\n\treturn 1\n}\n")
	r = runEnv(t, module, nil, lifeguardBin, "-format=gitlab", "./...")
	moved := decodeGitLab(t, r.stdout)
	if len(moved) != len(issues) {
		t.Fatalf("after inserting code: %d issues, want %d:\n%s", len(moved), len(issues), r.stdout)
	}
	for i := range moved {
		if moved[i].Location.Positions.Begin.Line != issues[i].Location.Positions.Begin.Line+inserted {
			t.Errorf("issue %d did not move %d lines down: %+v", i, inserted, moved[i])
		}
		if moved[i].Fingerprint != issues[i].Fingerprint {
			t.Errorf("issue %d: fingerprint changed when code was inserted above it", i)
		}
	}

	// A clean package gives an empty array, not null.
	r = lifeguard(t, "-format=gitlab", "./good")
	if r.code != driver.ExitClean || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("-format=gitlab on a clean package: want [] and exit status 0; got %v", r)
	}
}
