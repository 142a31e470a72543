package defercancel_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/defercancel"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
)

func TestMain(m *testing.M) { suitetest.Main(m, defercancel.Analyzer) }
