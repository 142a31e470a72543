package pipedrain_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

func TestMain(m *testing.M) { analyzertest.Main(m, pipedrain.Analyzer) }
