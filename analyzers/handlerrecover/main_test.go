package handlerrecover_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/handlerrecover"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestMain(m *testing.M) { analyzertest.Main(m, handlerrecover.Analyzer) }
