package bad

import "testing"

// TestNothing exists so that, with tests on, bad.go is analyzed twice (as
// package bad and as its test variant) and the driver must de-duplicate.
func TestNothing(t *testing.T) {}
