package cmdwait_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/analyzers/cmdwait"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/suitetest"
)

func TestMain(m *testing.M) { suitetest.Main(m, cmdwait.Analyzer) }
