package ctxbreak_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestMain(m *testing.M) { analyzertest.Main(m, ctxbreak.Analyzer) }
