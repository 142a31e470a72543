package pipedrain_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
	"github.com/lifeguard-go/lifeguard/analyzers/pipedrain"
)

func TestMain(m *testing.M) { suitetest.Main(m, pipedrain.Analyzer) }
