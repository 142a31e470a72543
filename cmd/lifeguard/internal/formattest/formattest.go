// Package formattest is what the tests of lifeguard's output formats read
// the outputs back with: the official SARIF 2.1.0 schema, and a parser of
// GitHub Actions workflow commands as the runner reads them. The unit
// tests of the formats and the end-to-end tests of the binary share it.
package formattest

import (
	"bytes"
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaJSON is the OASIS SARIF 2.1.0 schema (a copy of
// shared/schemas/sarif-schema-2.1.0.json).
//
//go:embed sarif-schema-2.1.0.json
var sarifSchemaJSON []byte

var (
	sarifSchemaOnce sync.Once
	sarifSchema     *jsonschema.Schema
	sarifSchemaErr  error
)

// SARIFSchema returns the official SARIF 2.1.0 schema, compiled to check
// formats (uri, uri-reference) too.
func SARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	sarifSchemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarifSchemaJSON))
		if err != nil {
			sarifSchemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		const url = "https://json.schemastore.org/sarif-2.1.0.json"
		if err := c.AddResource(url, doc); err != nil {
			sarifSchemaErr = err
			return
		}
		sarifSchema, sarifSchemaErr = c.Compile(url)
	})
	if sarifSchemaErr != nil {
		t.Fatalf("compiling the SARIF schema: %v", sarifSchemaErr)
	}
	return sarifSchema
}

// ValidateSARIF checks out against the SARIF 2.1.0 schema.
func ValidateSARIF(t testing.TB, out string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, out)
	}
	if err := SARIFSchema(t).Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema: %v\n%s", err, out)
	}
}

// A WorkflowCommand is one parsed "::name props::data" line.
type WorkflowCommand struct {
	Name  string
	Props map[string]string // unescaped
	Data  string            // unescaped
}

var commandLine = regexp.MustCompile(`^::(\w+)(?: ([^:]*))?::(.*)$`)

// ParseWorkflowCommand parses a workflow command line as the runner does,
// failing the test on characters that should have been escaped.
func ParseWorkflowCommand(t testing.TB, line string) (WorkflowCommand, bool) {
	t.Helper()
	m := commandLine.FindStringSubmatch(line)
	if m == nil {
		return WorkflowCommand{}, false
	}
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	c := WorkflowCommand{Name: m[1], Props: make(map[string]string), Data: unescape.Replace(m[3])}
	if m[2] != "" {
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Errorf("property %q of %q is not key=value", kv, line)
			}
			c.Props[k] = unescape.Replace(v)
		}
	}
	if strings.ContainsAny(m[3], "\r\n") || regexp.MustCompile(`%(?:[^0-9A-F]|$|[0-9A-F](?:[^0-9A-F]|$))`).MatchString(m[3]) {
		t.Errorf("unescaped %% or line break in the data of %q", line)
	}
	return c, true
}
