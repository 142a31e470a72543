// Package suppressed holds lifeguard bugs under suppression directives.
package suppressed

import (
	"context"
	"net/http"
	"os/exec"
	"time"
)

// OnTheLine: //nolint:lifeguard on the reported line.
func OnTheLine() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { //nolint:lifeguard // init reaps it
		return err
	}
	return nil
}

// LineAbove: //nolint:lifeguard on the line above.
func LineAbove() error {
	cmd := exec.Command("ls")
	//nolint:lifeguard // the child writes nothing
	if _, err := cmd.StdoutPipe(); err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// AboveTheStatement: //nolint:lifeguard above the for statement covers the
// whole statement (golangci-lint's rule), two lines above the finding.
func AboveTheStatement(ctx context.Context, try func(context.Context) error) error {
	//nolint:lifeguard // at most three attempts
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if try(attempt) == nil {
			return nil
		}
	}
}

// PerAnalyzer: //nolint:<analyzer> is applied by lifeguard itself;
// golangci-lint warns that it knows no linter ctxbreak.
func PerAnalyzer(ctx context.Context, find func(context.Context) error) error {
	return find(context.Background()) //nolint:ctxbreak // the lookup must outlive the request
}

// Ignored: lifeguard's own directive.
func Ignored(w http.ResponseWriter, r *http.Request) {
	//lifeguard:ignore handlerrecover process cannot panic
	go func() {
		process(r.URL.Path)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Everything: a bare //nolint silences every linter.
func Everything() error {
	cmd := exec.Command("true")
	return cmd.Start() //nolint // the caller reaps it
}

// OtherLinter: a //nolint for another linter suppresses nothing of lifeguard's.
func OtherLinter() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { //nolint:errcheck // want:example lifeguard "cmdwait: cmd.Start without Wait" want:bundled lifeguard "cmdwait: cmd.Start without Wait" want:both lifeguard "cmdwait: cmd.Start without Wait"
		return err
	}
	return nil
}

// Unused: a //nolint:lifeguard where lifeguard reports nothing, which
// nolintlint reports when it is enabled.
func Unused() error {
	return exec.Command("true").Run() //nolint:lifeguard // want:bundled nolintlint "is unused for linter"
}

func process(string) {}
