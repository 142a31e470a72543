package defercancel_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestMain(m *testing.M) { analyzertest.Main(m, defercancel.Analyzer) }
