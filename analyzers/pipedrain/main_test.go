package pipedrain_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
)

func TestMain(m *testing.M) { suitetest.Main(m, pipedrain.Analyzer) }
