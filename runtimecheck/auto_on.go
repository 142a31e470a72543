//go:build lifeguard_trace

package runtimecheck

import "testing"

// Under lifeguard test, testing (overlaid) runs the automatic check
// (auto.go); a Check or VerifyTestMain tells it what it covers, so that
// nothing is reported twice and their options keep their meaning.

// autoCovered says that t's top-level test called Check: what appears
// while it runs is Check's to report.
func autoCovered(t testing.TB) {
	if tt, ok := t.(*testing.T); ok {
		testing.LifeguardAutoChecked(tt)
	}
}

// autoCoveredMain says that VerifyTestMain checks the whole package.
func autoCoveredMain() { testing.LifeguardAutoVerifyTestMain() }
