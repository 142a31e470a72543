package baseline

import "testing"

func TestNormalizeMessage(t *testing.T) {
	for in, want := range map[string]string{
		"cmd.Start without Wait on the path returning at run.go:57: the child": "cmd.Start without Wait on the path returning at run.go: the child",
		"see internal/x/y_test.go:3:14 and (a.go:1)":                           "see internal/x/y_test.go and (a.go)",
		"no position here: 10:20":                                              "no position here: 10:20",
	} {
		if got := normalizeMessage(in); got != want {
			t.Errorf("normalizeMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
