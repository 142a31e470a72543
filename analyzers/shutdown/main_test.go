package shutdown_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
	"github.com/lifeguard-go/lifeguard/analyzers/shutdown"
)

func TestMain(m *testing.M) { analyzertest.Main(m, shutdown.Analyzer) }
