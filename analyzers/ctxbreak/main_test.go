package ctxbreak_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/ctxbreak"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
)

func TestMain(m *testing.M) { suitetest.Main(m, ctxbreak.Analyzer) }
