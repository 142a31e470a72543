package output

import (
	"io"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/sarif"
)

func init() { register("sarif", func(Options) Format { return sarifFormat{} }) }

// sarifFormat prints a SARIF 2.1.0 log, the format code-scanning services
// read (package sarif). Like -json, it leaves the decision to the
// consumer: findings do not change the exit status.
type sarifFormat struct{}

func (sarifFormat) FindingsAreFailure() bool { return false }

func (sarifFormat) Write(w io.Writer, rep *findings.Report) error {
	return sarif.Write(w, rep, nil)
}
