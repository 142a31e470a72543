package fix

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiffGolden(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"from empty", "", "a\n", "--- old\n+++ new\n@@ -0,0 +1,1 @@\n+a\n"},
		{"to empty", "a\n", "", "--- old\n+++ new\n@@ -1,1 +0,0 @@\n-a\n"},
		{
			"no newline at end",
			"a\nb", "a\nc",
			"--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
		},
		{
			"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
			"--- old\n+++ new\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n",
		},
	} {
		if got := unifiedDiff("old", "new", []byte(tc.old), []byte(tc.new)); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestUnifiedDiffApplies checks, on random edits, that applying the diff to
// the old text gives the new one.
func TestUnifiedDiffApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		old := randomLines(rng, rng.IntN(30))
		new := mutate(rng, old)
		oldText, newText := strings.Join(old, ""), strings.Join(new, "")
		if rng.IntN(4) == 0 { // sometimes no final newline
			oldText = strings.TrimSuffix(oldText, "\n")
		}
		d := unifiedDiff("old", "new", []byte(oldText), []byte(newText))
		got, err := applyUnified(oldText, d)
		if err != nil || got != newText {
			t.Fatalf("case %d: applying the diff gives %q (%v), want %q\nold: %q\ndiff:\n%s", i, got, err, newText, oldText, d)
		}
	}
}

// TestDiffLinesIsMinimal checks Myers' result against the LCS length.
func TestDiffLinesIsMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		a := randomLines(rng, rng.IntN(15))
		b := mutate(rng, a)
		changes := 0
		for _, op := range diffLines(a, b) {
			if op.kind != opEqual {
				changes++
			}
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("case %d: %d changes, want %d\na=%q\nb=%q", i, changes, want, a, b)
		}
	}
}

func randomLines(rng *rand.Rand, n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = string(rune('a'+rng.IntN(4))) + "\n" // few distinct lines: many matches
	}
	return lines
}

func mutate(rng *rand.Rand, lines []string) []string {
	out := append([]string(nil), lines...)
	for range rng.IntN(6) {
		i := rng.IntN(len(out) + 1)
		switch rng.IntN(3) {
		case 0:
			out = append(out[:i], append([]string{string(rune('a'+rng.IntN(5))) + "\n"}, out[i:]...)...)
		case 1:
			if i < len(out) {
				out = append(out[:i], out[i+1:]...)
			}
		case 2:
			if i < len(out) {
				out[i] = "changed\n"
			}
		}
	}
	return out
}

func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$`)

// applyUnified applies a diff made by unifiedDiff to old, checking the hunk
// headers and context as it goes.
func applyUnified(old, diff string) (string, error) {
	if diff == "" {
		return old, nil
	}
	oldLines := splitLines([]byte(old))
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no file header")
	}
	var out []string
	next := 0 // next line of old to copy
	for i := 2; i < len(lines) && lines[i] != ""; {
		m := hunkHeader.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			return "", fmt.Errorf("bad hunk header %q", lines[i])
		}
		i++
		oldStart, _ := strconv.Atoi(m[1])
		oldCount, _ := strconv.Atoi(m[2])
		newCount, _ := strconv.Atoi(m[4])
		if oldCount > 0 {
			oldStart-- // to a 0-based index
		}
		if oldStart < next {
			return "", fmt.Errorf("hunks overlap")
		}
		out = append(out, oldLines[next:oldStart]...)
		next = oldStart
		var seenOld, seenNew int
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			kind, line := lines[i][0], lines[i][1:]
			i++
			if i < len(lines) && strings.HasPrefix(lines[i], `\ No newline`) {
				line = strings.TrimSuffix(line, "\n")
				i++
			}
			if kind != '+' {
				if next >= len(oldLines) || oldLines[next] != line {
					return "", fmt.Errorf("line %q (%c) does not match the old text", line, kind)
				}
				next++
				seenOld++
			}
			if kind != '-' {
				out = append(out, line)
				seenNew++
			}
		}
		if seenOld != oldCount || seenNew != newCount {
			return "", fmt.Errorf("hunk counts -%d +%d, lines -%d +%d", oldCount, newCount, seenOld, seenNew)
		}
	}
	out = append(out, oldLines[next:]...)
	return strings.Join(out, ""), nil
}

// TestUnifiedDiffLargeChange takes the path for changes beyond
// maxEditDistance: the region is replaced whole, and the diff still applies.
func TestUnifiedDiffLargeChange(t *testing.T) {
	var old, new strings.Builder
	old.WriteString("same\n")
	new.WriteString("same\n")
	for i := range maxEditDistance + 100 {
		fmt.Fprintf(&old, "old %d\n", i)
		fmt.Fprintf(&new, "new %d\n", i)
	}
	d := unifiedDiff("old", "new", []byte(old.String()), []byte(new.String()))
	if got, err := applyUnified(old.String(), d); err != nil || got != new.String() {
		t.Fatalf("applying the diff failed (%v)", err)
	}
}
