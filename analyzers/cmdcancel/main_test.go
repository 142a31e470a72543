package cmdcancel_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdcancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/analyzertest"
)

func TestMain(m *testing.M) { analyzertest.Main(m, cmdcancel.Analyzer) }
