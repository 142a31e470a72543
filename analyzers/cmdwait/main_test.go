package cmdwait_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestMain(m *testing.M) { analyzertest.Main(m, cmdwait.Analyzer) }
