package cmdwait_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
)

func TestTimeout(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/timeout")
}

func TestForkExec(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cmdwait.Analyzer, "cmdwait/forkexec", "cmdwait/forkexec/initsys")
}
