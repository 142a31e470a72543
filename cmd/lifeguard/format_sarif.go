package main

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
)

func init() { registerFormat("sarif", sarifFormat{}) }

// sarifFormat prints a SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/),
// the format code-scanning services read: one run, whose tool lists every
// analyzer that ran as a rule (with its documentation as helpUri), and one
// result per finding, with its related information as related locations.
// File names are URIs relative to %SRCROOT%, the repository root (see
// reporoot.go), which originalUriBaseIds gives as an absolute file URI;
// files outside it get absolute URIs. Columns count Unicode code points,
// from 1. There are no partialFingerprints: code scanning computes its own
// from the file text, and one made by hand would defeat it. Like -json, it
// leaves the decision to the consumer: findings do not change the exit
// status.
type sarifFormat struct{}

func (sarifFormat) findingsAreFailure() bool { return false }

func (sarifFormat) write(w io.Writer, rep *report) error {
	return writeSARIF(w, rep, nil)
}

const (
	sarifSchema  = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	sarifSrcRoot = "%SRCROOT%"
	lifeguardURI = "https://github.com/lifeguard-go/lifeguard"
)

// sarifExtras is what lifeguard test adds to the log: properties of the
// findings' results, and rules and results of its own.
type sarifExtras struct {
	properties func(*finding) map[string]any // nil or empty: none
	rules      []sarifRule
	results    func(*sarifLocator) []sarifResult
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifMessage   `json:"shortDescription"`
	FullDescription      sarifMessage   `json:"fullDescription"`
	HelpURI              string         `json:"helpUri,omitempty"`
	Help                 *sarifHelp     `json:"help,omitempty"`
	DefaultConfiguration sarifRuleLevel `json:"defaultConfiguration"`
}

// sarifHelp is a rule's help, which code scanning shows with each alert.
type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleLevel struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// writeSARIF prints rep as a SARIF log, with lifeguard test's extras when
// they are not nil.
func writeSARIF(w io.Writer, rep *report, extras *sarifExtras) error {
	loc := newSARIFLocator(rep.root.dir())
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "lifeguard",
			Version:        lifeguardVersion(),
			InformationURI: lifeguardURI,
			Rules:          []sarifRule{},
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(rep.errors) == 0}},
		ColumnKind:  "unicodeCodePoints",
		Results:     []sarifResult{},
	}
	for _, msg := range rep.errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{msg}})
	}

	ruleIndex := make(map[string]int)
	addRule := func(r sarifRule) {
		if _, dup := ruleIndex[r.ID]; !dup {
			ruleIndex[r.ID] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		}
	}
	for _, a := range rep.analyzers {
		addRule(analyzerRule(a))
	}
	if extras != nil {
		for _, r := range extras.rules {
			addRule(r)
		}
	}

	for _, f := range rep.findings {
		if _, ok := ruleIndex[f.analyzer.Name]; !ok {
			addRule(analyzerRule(f.analyzer)) // a required analyzer's finding
		}
		res := sarifResult{
			RuleID:    f.analyzer.Name,
			RuleIndex: ruleIndex[f.analyzer.Name],
			Level:     "warning",
			Message:   sarifMessage{f.message},
			Locations: []sarifLocation{loc.location(f.posn, f.end, nil)},
		}
		for i, r := range f.related {
			l := loc.location(r.posn, r.end, &sarifMessage{r.message})
			id := i + 1
			l.ID = &id
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		if extras != nil && extras.properties != nil {
			if props := extras.properties(f); len(props) > 0 {
				res.Properties = props
			}
		}
		run.Results = append(run.Results, res)
	}
	if extras != nil && extras.results != nil {
		for _, res := range extras.results(loc) {
			res.RuleIndex = ruleIndex[res.RuleID]
			run.Results = append(run.Results, res)
		}
	}
	if loc.usedRoot {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{sarifSrcRoot: {URI: loc.rootURI}}
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func analyzerRule(a *analysis.Analyzer) sarifRule {
	r := sarifRule{
		ID:                   a.Name,
		ShortDescription:     sarifMessage{firstLine(a.Doc)},
		FullDescription:      sarifMessage{strings.TrimSpace(a.Doc)},
		HelpURI:              a.URL,
		DefaultConfiguration: sarifRuleLevel{"warning"},
	}
	if a.URL != "" {
		r.Help = &sarifHelp{
			Text:     strings.TrimSpace(a.Doc),
			Markdown: "**" + a.Name + "**: " + firstLine(a.Doc) + "\n\nWhat it reports, why it matters and how to fix it: [" + a.Name + "](" + a.URL + ").",
		}
	}
	return r
}

// lifeguardVersion is the module version the binary was built at, or ""
// for a development build.
func lifeguardVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

// A sarifLocator turns file positions into SARIF locations: URIs relative to
// %SRCROOT% and columns in code points.
type sarifLocator struct {
	root     pathDisplay // the repository root
	rootURI  string
	usedRoot bool
	text     *sourceText
}

func newSARIFLocator(root string) *sarifLocator {
	l := &sarifLocator{text: newSourceText()}
	if root != "" {
		l.root = newPathDisplay(root)
		l.rootURI = fileURI(root) + "/"
		if strings.HasSuffix(l.rootURI, "//") {
			l.rootURI = strings.TrimSuffix(l.rootURI, "/")
		}
	}
	return l
}

// artifact returns the artifact location of a file name.
func (l *sarifLocator) artifact(name string) sarifArtifactLoc {
	if rel, ok := l.root.rel(name); ok {
		l.usedRoot = true
		return sarifArtifactLoc{URI: relativeURI(rel), URIBaseID: sarifSrcRoot}
	}
	if filepath.IsAbs(name) {
		return sarifArtifactLoc{URI: fileURI(name)}
	}
	return sarifArtifactLoc{URI: relativeURI(filepath.ToSlash(name))}
}

// location returns the location of the range posn-end.
func (l *sarifLocator) location(posn, end token.Position, msg *sarifMessage) sarifLocation {
	region := &sarifRegion{StartLine: posn.Line, StartColumn: l.column(posn)}
	if end.IsValid() && end.Filename == posn.Filename && (end.Line > posn.Line || end.Line == posn.Line && end.Column >= posn.Column) {
		region.EndLine, region.EndColumn = end.Line, l.column(end)
	}
	if posn.Line <= 0 {
		region = nil
	}
	return sarifLocation{
		PhysicalLocation: sarifPhysical{ArtifactLocation: l.artifact(posn.Filename), Region: region},
		Message:          msg,
	}
}

// lineLocation returns the location of a whole line, for leaks, which have
// no column.
func (l *sarifLocator) lineLocation(file string, line int) sarifLocation {
	return sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: l.artifact(file),
		Region:           &sarifRegion{StartLine: line},
	}}
}

// column converts posn's byte column to a column in code points.
func (l *sarifLocator) column(posn token.Position) int {
	return l.text.column(posn)
}

// fileURI returns the file URI of an absolute file name.
func fileURI(name string) string {
	p := filepath.ToSlash(name)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// relativeURI escapes a slash-separated relative file name as a relative
// URI reference.
func relativeURI(rel string) string {
	segs := strings.Split(rel, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	if strings.Contains(segs[0], ":") {
		segs[0] = "./" + segs[0] // not a scheme
	}
	return strings.Join(segs, "/")
}
