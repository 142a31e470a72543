// Package suite lists lifeguard's analyzers in the order the binary, the vet
// tool and the golangci-lint plugin present them.
package suite

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/httpresponse"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/sigchanyzer"
	"honnef.co/go/tools/staticcheck/sa1012"
	"honnef.co/go/tools/staticcheck/sa1015"
	"honnef.co/go/tools/staticcheck/sa1029"
	"honnef.co/go/tools/staticcheck/sa2000"
	"honnef.co/go/tools/staticcheck/sa2002"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdcancel"
	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/handlerrecover"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/bundle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/config"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suppress"
	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
	"github.com/lifeguard-go/lifeguard/analyzers/shutdown"
)

// Analyzers returns lifeguard's own analyzers. The slice is new on each call;
// the analyzers are shared.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		cmdwait.Analyzer,
		pipedrain.Analyzer,
		defercancel.Analyzer,
		ctxbreak.Analyzer,
		handlerrecover.Analyzer,
		cmdcancel.Analyzer,
		shutdown.Analyzer,
	}
}

// Bundled returns the analyzers of go vet that lifeguard runs as they are,
// on by default, under their own names: lostcancel (a cancel function not
// called on every path), httpresponse (a response used before its error is
// checked) and sigchanyzer (an unbuffered channel given to signal.Notify).
// lifeguard's own analyzers do not report what these do.
// Their findings go through lifeguard's suppression directives like its
// own.
func Bundled() []*analysis.Analyzer { return slices.Clone(bundled) }

var bundled = []*analysis.Analyzer{
	bundle.Wrap(lostcancel.Analyzer, "context"),
	bundle.Wrap(httpresponse.Analyzer, "net/http"),
	bundle.Wrap(sigchanyzer.Analyzer, "os/signal"),
}

// Staticcheck returns the staticcheck checks that lifeguard offers, off by
// default: they need staticcheck's own IR, a second SSA form of every
// package, dependencies included. SA1012: a nil context passed; SA1029: a
// built-in type as a context.WithValue key; SA2000: WaitGroup.Add inside the
// goroutine; SA2002: t.FailNow from a goroutine other than the test's;
// SA1015: time.Tick leaking its ticker.
// Their findings honour staticcheck's //lint:ignore too.
func Staticcheck() []*analysis.Analyzer { return slices.Clone(staticchecks) }

// All returns every analyzer the suite offers, in its order: its own, the
// bundled go vet analyzers, the staticcheck checks.
func All() []*analysis.Analyzer {
	return slices.Concat(Analyzers(), Bundled(), Staticcheck())
}

var staticchecks = []*analysis.Analyzer{
	suppress.Filtered(sa1012.Analyzer),
	suppress.Filtered(sa1029.Analyzer),
	suppress.Filtered(sa2000.Analyzer),
	suppress.Filtered(sa2002.Analyzer),
	suppress.Filtered(sa1015.Analyzer),
}

// GuardPanics makes the analyzers, and all they require, return a panic in
// their Run as an error for that (analyzer, package), with the panic's
// stack, instead of crashing the process: neither go/analysis/checker nor
// unitchecker recovers one. It changes the shared analyzers for the whole
// process, and is idempotent. lifeguard's own analyzers recover already;
// this is for a driver that runs others too (the bundled and staticcheck
// ones, or its own).
func GuardPanics(analyzers []*analysis.Analyzer) { panicerr.Guard(analyzers) }

// IsStd reports whether an import path names a package of the Go
// distribution, as the analyzers themselves tell it (from GOROOT/src): for
// drivers that give Roots the standard library as not reported on.
func IsStd(path string) bool { return apis.IsStdPath(path) }

// Config is what a driver tells the analyzers about the run, with one
// Configure call before it starts them.
type Config struct {
	// Running lists the analyzers the driver runs; nil: every analyzer
	// the suite offers. What they share per package (the SSA form) is
	// freed as soon as the last of them that needs it is done.
	Running []*analysis.Analyzer
	// IsRoot tells the packages findings are reported for; nil: every
	// package. Packages outside the roots are analyzed only as far as
	// their importers need, which for the standard library is not at
	// all.
	IsRoot func(*types.Package) bool
	// DriverAppliesNolint says that the driver applies //nolint,
	// //nolint:all and //nolint:lifeguard itself, as golangci-lint does
	// for the plugin's linter "lifeguard"; the analyzers then honour only
	// //nolint:<analyzer> (which such a driver cannot tell apart),
	// //lifeguard:ignore and //lint:ignore.
	DriverAppliesNolint bool
	// OmitRelated says that findings are reported without their related
	// information (the positions their messages name), for golangci-lint,
	// which would make each one an issue of its own.
	OmitRelated bool
}

// Configure sets the configuration of the run; it holds for the whole
// process until the next call. The names suppression directives may use
// are those of every analyzer the suite offers (All); the first of them
// that runs reports the directives that name none of them.
func Configure(c Config) {
	config.Set(config.Config{
		Analyzers:           All(),
		Running:             c.Running,
		IsRoot:              c.IsRoot,
		DriverAppliesNolint: c.DriverAppliesNolint,
		OmitRelated:         c.OmitRelated,
	})
}

// A Step is one place on the path a finding is about, with what happens
// there.
type Step = report.Step

// A Detail is what one of lifeguard's findings carries beyond its
// Diagnostic: the steps of the path it is about, and the fingerprint
// message baselines record.
type Detail = report.Detail

// DetailOf returns the Detail of the diagnostic d that an analyzer of the
// suite reported with the result result (its action's Result), and whether
// there is one: the bundled analyzers' findings have none.
func DetailOf(result any, d analysis.Diagnostic) (Detail, bool) {
	r, _ := result.(*report.Result)
	return r.DetailOf(d)
}
