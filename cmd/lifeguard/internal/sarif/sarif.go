// Package sarif writes lifeguard's findings as a SARIF 2.1.0 log
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the format
// code-scanning services read, for lifeguard's -format=sarif and for
// lifeguard test, which adds results of its own (Extras).
//
// The log has one run, whose tool lists every analyzer that ran as a rule
// (with its documentation as helpUri), and one result per finding, with its
// related information as related locations and, when it is about a path,
// the path's steps as a code flow (§3.36), which GitHub code scanning shows
// with "Show paths". The run's automationDetails.id, "lifeguard/", is the
// category code scanning files the upload under, apart from other tools'
// analyses of the same commit. File names are URIs relative
// to %SRCROOT%, the repository root, which originalUriBaseIds gives as an
// absolute file URI; files outside it get absolute URIs. Columns count
// Unicode code points, from 1. There are no partialFingerprints: code
// scanning computes its own from the file text, and one made by hand would
// defeat it.
package sarif

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/buildinfo"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

const (
	schemaURI = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	srcRoot   = "%SRCROOT%"

	// ToolURI is lifeguard's home, the tool's informationUri.
	ToolURI = "https://github.com/lifeguard-go/lifeguard"
)

// Extras is what lifeguard test adds to the log: properties of the
// findings' results, and rules and results of its own.
type Extras struct {
	Properties func(*findings.Finding) map[string]any // nil or empty: none
	Rules      []Rule
	Results    func(*Locator) []Result
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               tool                        `json:"tool"`
	AutomationDetails  automationDetails           `json:"automationDetails"`
	Invocations        []invocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]ArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []Result                    `json:"results"`
}

// automationDetails is the run's runAutomationDetails (§3.17): its id is
// "category/", with no run of its own named after the slash.
type automationDetails struct {
	ID string `json:"id"`
}

// automationID is the category of lifeguard's runs.
const automationID = "lifeguard/"

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri"`
	Rules          []Rule `json:"rules"`
}

// A Rule is what the results of one analyzer, or of lifeguard test's
// runtime leaks, are instances of.
type Rule struct {
	ID                   string    `json:"id"`
	ShortDescription     Message   `json:"shortDescription"`
	FullDescription      Message   `json:"fullDescription"`
	HelpURI              string    `json:"helpUri,omitempty"`
	Help                 *Help     `json:"help,omitempty"`
	DefaultConfiguration RuleLevel `json:"defaultConfiguration"`
}

// Help is a rule's help, which code scanning shows with each alert.
type Help struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// A RuleLevel is a rule's default level.
type RuleLevel struct {
	Level string `json:"level"`
}

type invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
}

type notification struct {
	Level   string  `json:"level"`
	Message Message `json:"message"`
}

// A Message is SARIF's message object, plain text alone.
type Message struct {
	Text string `json:"text"`
}

// A Result is one finding, or one leak of lifeguard test.
type Result struct {
	RuleID           string         `json:"ruleId"`
	RuleIndex        int            `json:"ruleIndex"`
	Level            string         `json:"level"`
	Message          Message        `json:"message"`
	Locations        []Location     `json:"locations"`
	RelatedLocations []Location     `json:"relatedLocations,omitempty"`
	CodeFlows        []codeFlow     `json:"codeFlows,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

// A codeFlow is the path a finding is about: lifeguard's paths run in one
// goroutine, so one thread flow.
type codeFlow struct {
	ThreadFlows []threadFlow `json:"threadFlows"`
}

type threadFlow struct {
	Locations []threadFlowLocation `json:"locations"`
}

// A threadFlowLocation is one step of a path.
type threadFlowLocation struct {
	Location Location `json:"location"`
}

// A Location is a place in a file, with what is said of it.
type Location struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// A PhysicalLocation is a file and a region of it.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// An ArtifactLocation names a file by URI.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// A Region is a range of lines and columns, columns in code points.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// Write prints rep as a SARIF log, with lifeguard test's extras when they
// are not nil.
func Write(w io.Writer, rep *findings.Report, extras *Extras) error {
	loc := newLocator(rep.Root.Dir())
	run := sarifRun{
		Tool: tool{Driver: driver{
			Name:           "lifeguard",
			Version:        buildinfo.ModuleVersion(),
			InformationURI: ToolURI,
			Rules:          []Rule{},
		}},
		AutomationDetails: automationDetails{ID: automationID},
		Invocations:       []invocation{{ExecutionSuccessful: len(rep.Errors) == 0}},
		ColumnKind:        "unicodeCodePoints",
		Results:           []Result{},
	}
	for _, msg := range rep.Errors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			notification{Level: "error", Message: Message{msg}})
	}

	ruleIndex := make(map[string]int)
	addRule := func(r Rule) {
		if _, dup := ruleIndex[r.ID]; !dup {
			ruleIndex[r.ID] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
		}
	}
	for _, a := range rep.Analyzers {
		addRule(analyzerRule(a))
	}
	if extras != nil {
		for _, r := range extras.Rules {
			addRule(r)
		}
	}

	for _, f := range rep.Findings {
		if _, ok := ruleIndex[f.Analyzer.Name]; !ok {
			addRule(analyzerRule(f.Analyzer)) // a required analyzer's finding
		}
		res := Result{
			RuleID:    f.Analyzer.Name,
			RuleIndex: ruleIndex[f.Analyzer.Name],
			Level:     "warning",
			Message:   Message{f.Message},
			Locations: []Location{loc.location(f.Posn, f.End, nil)},
		}
		for i, r := range f.Related {
			l := loc.location(r.Posn, r.End, &Message{r.Message})
			id := i + 1
			l.ID = &id
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		if len(f.Path) > 0 {
			var steps []threadFlowLocation
			for _, step := range f.Path {
				steps = append(steps, threadFlowLocation{Location: loc.location(step.Posn, step.End, &Message{step.Message})})
			}
			res.CodeFlows = []codeFlow{{ThreadFlows: []threadFlow{{Locations: steps}}}}
		}
		if extras != nil && extras.Properties != nil {
			if props := extras.Properties(f); len(props) > 0 {
				res.Properties = props
			}
		}
		run.Results = append(run.Results, res)
	}
	if extras != nil && extras.Results != nil {
		for _, res := range extras.Results(loc) {
			res.RuleIndex = ruleIndex[res.RuleID]
			run.Results = append(run.Results, res)
		}
	}
	if loc.usedRoot {
		run.OriginalURIBaseIDs = map[string]ArtifactLocation{srcRoot: {URI: loc.rootURI}}
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: schemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

func analyzerRule(a *analysis.Analyzer) Rule {
	r := Rule{
		ID:                   a.Name,
		ShortDescription:     Message{firstLine(a.Doc)},
		FullDescription:      Message{strings.TrimSpace(a.Doc)},
		HelpURI:              a.URL,
		DefaultConfiguration: RuleLevel{"warning"},
	}
	if a.URL != "" {
		r.Help = &Help{
			Text:     strings.TrimSpace(a.Doc),
			Markdown: "**" + a.Name + "**: " + firstLine(a.Doc) + "\n\nWhat it reports, why it matters and how to fix it: [" + a.Name + "](" + a.URL + ").",
		}
	}
	return r
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// A Locator turns file positions into SARIF locations: URIs relative to
// %SRCROOT% and columns in code points.
type Locator struct {
	root     positions.Display // the repository root
	rootURI  string
	usedRoot bool
	columns  *positions.Columns
}

func newLocator(root string) *Locator {
	l := &Locator{columns: positions.NewColumns()}
	if root != "" {
		l.root = positions.NewDisplay(root)
		l.rootURI = fileURI(root) + "/"
		if strings.HasSuffix(l.rootURI, "//") {
			l.rootURI = strings.TrimSuffix(l.rootURI, "/")
		}
	}
	return l
}

// artifact returns the artifact location of a file name.
func (l *Locator) artifact(name string) ArtifactLocation {
	if rel, ok := l.root.Rel(name); ok {
		l.usedRoot = true
		return ArtifactLocation{URI: relativeURI(rel), URIBaseID: srcRoot}
	}
	if filepath.IsAbs(name) {
		return ArtifactLocation{URI: fileURI(name)}
	}
	return ArtifactLocation{URI: relativeURI(filepath.ToSlash(name))}
}

// location returns the location of the range posn-end.
func (l *Locator) location(posn, end token.Position, msg *Message) Location {
	region := &Region{StartLine: posn.Line, StartColumn: l.column(posn)}
	if end.IsValid() && end.Filename == posn.Filename && (end.Line > posn.Line || end.Line == posn.Line && end.Column >= posn.Column) {
		region.EndLine, region.EndColumn = end.Line, l.column(end)
	}
	if posn.Line <= 0 {
		region = nil
	}
	return Location{
		PhysicalLocation: PhysicalLocation{ArtifactLocation: l.artifact(posn.Filename), Region: region},
		Message:          msg,
	}
}

// LineLocation returns the location of a whole line, for leaks, which have
// no column.
func (l *Locator) LineLocation(file string, line int) Location {
	return Location{PhysicalLocation: PhysicalLocation{
		ArtifactLocation: l.artifact(file),
		Region:           &Region{StartLine: line},
	}}
}

// column converts posn's byte column to a column in code points.
func (l *Locator) column(posn token.Position) int {
	return l.columns.Column(posn)
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
