package fix

import "testing"

func TestEditOverlaps(t *testing.T) {
	for _, tc := range []struct {
		x, y textEdit
		want bool
	}{
		{textEdit{0, 5, "a"}, textEdit{5, 9, "b"}, false}, // adjacent
		{textEdit{0, 5, "a"}, textEdit{4, 9, "b"}, true},
		{textEdit{2, 2, "a"}, textEdit{2, 2, "b"}, true},  // two insertions at one point
		{textEdit{2, 2, "a"}, textEdit{2, 6, "b"}, false}, // insertion before a replacement
		{textEdit{6, 6, "a"}, textEdit{2, 6, "b"}, false}, // and after it
		{textEdit{4, 4, "a"}, textEdit{2, 6, "b"}, true},  // inside it
	} {
		if got := tc.x.overlaps(tc.y); got != tc.want {
			t.Errorf("%v overlaps %v = %v, want %v", tc.x, tc.y, got, tc.want)
		}
		if got := tc.y.overlaps(tc.x); got != tc.want {
			t.Errorf("%v overlaps %v = %v, want %v", tc.y, tc.x, got, tc.want)
		}
	}
}
