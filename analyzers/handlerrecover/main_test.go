package handlerrecover_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/handlerrecover"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
)

func TestMain(m *testing.M) { suitetest.Main(m, handlerrecover.Analyzer) }
