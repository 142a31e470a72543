package runtimecheck

import "testing"

func TestParseStat(t *testing.T) {
	line := "4121 (my (weird) cmd) Z 4000 4121 4000 0 -1 4227084 99 0 0 0 0 0 0 0 20 0 1 0 123456 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
	e, ppid, ok := parseStat([]byte(line))
	if !ok || ppid != 4000 || e != (procEntry{pid: 4121, start: 123456, state: 'Z', comm: "my (weird) cmd", pgrp: 4121}) {
		t.Errorf("parseStat = %+v, %d, %v", e, ppid, ok)
	}
	for _, bad := range []string{"", "4121 (x", "x (y) Z 1", "4121 (y) Z 1 2 3"} {
		if _, _, ok := parseStat([]byte(bad)); ok {
			t.Errorf("parseStat(%q) ok", bad)
		}
	}
}
