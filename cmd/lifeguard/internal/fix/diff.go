package fix

import (
	"bytes"
	"fmt"
	"strings"
)

// This file computes the unified diffs that -diff prints. x/tools has a diff
// package, but it is internal; the standard library's is too.

// contextLines is how many unchanged lines a hunk shows around a change.
const contextLines = 3

// unifiedDiff returns the unified diff from old to new, with the given file
// labels, or "" if they are equal.
func unifiedDiff(oldLabel, newLabel string, old, new []byte) string {
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)

	var out strings.Builder
	for _, h := range hunks(ops) {
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldLabel, newLabel)
		}
		h.write(&out, a, b)
	}
	return out.String()
}

// splitLines splits text after each newline; the last line may lack one.
func splitLines(text []byte) []string {
	var lines []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, string(text))
			break
		}
		lines = append(lines, string(text[:i+1]))
		text = text[i+1:]
	}
	return lines
}

type opKind byte

const (
	opEqual  opKind = ' '
	opDelete opKind = '-'
	opInsert opKind = '+'
)

// A lineOp is one step of an edit script: line a[ai] kept as b[bi], a[ai]
// deleted, or b[bi] inserted.
type lineOp struct {
	kind   opKind
	ai, bi int
}

// maxEditDistance bounds the work of Myers' algorithm, which takes time and
// (here) memory quadratic in the number of changed lines. Beyond it the
// changed region is shown as deleted then inserted whole: still a correct
// diff, only not a minimal one.
const maxEditDistance = 2000

// diffLines returns an edit script from a to b: Myers' O(ND) algorithm on
// what remains once the common prefix and suffix are set aside.
func diffLines(a, b []string) []lineOp {
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}

	var ops []lineOp
	for i := range prefix {
		ops = append(ops, lineOp{opEqual, i, i})
	}
	for _, op := range myers(a[prefix:len(a)-suffix], b[prefix:len(b)-suffix]) {
		ops = append(ops, lineOp{op.kind, op.ai + prefix, op.bi + prefix})
	}
	for i := suffix; i > 0; i-- {
		ops = append(ops, lineOp{opEqual, len(a) - i, len(b) - i})
	}
	return ops
}

// myers returns a shortest edit script from a to b, or deletes all of a
// and inserts all of b when that script is longer than maxEditDistance.
func myers(a, b []string) []lineOp {
	n, m := len(a), len(b)
	// v[k] is the furthest x reached on diagonal k = x - y; trace[d] holds
	// v[-d..d] as it was before step d, for the walk back.
	offset := n + m + 1
	v := make([]int, 2*offset+1)
	var trace [][]int
	found := false
	for d := 0; d <= n+m && d <= maxEditDistance && !found; d++ {
		trace = append(trace, append([]int(nil), v[offset-d:offset+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				x = v[offset+k+1] // down: an insertion
			} else {
				x = v[offset+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	if !found {
		var ops []lineOp
		for i := range n {
			ops = append(ops, lineOp{opDelete, i, 0})
		}
		for j := range m {
			ops = append(ops, lineOp{opInsert, n, j})
		}
		return ops
	}

	// Walk back from (n, m), collecting the script in reverse.
	var rev []lineOp
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		prev := trace[d] // prev[d+k] is v[k] before step d
		at := func(k int) int { return prev[d+k] }
		k := x - y
		var prevK int
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := 0
		if d > 0 {
			prevX = at(prevK)
		}
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, lineOp{opEqual, x, y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, lineOp{opInsert, x, y})
		} else {
			x--
			rev = append(rev, lineOp{opDelete, x, y})
		}
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// A hunk is a run of ops: changes with up to contextLines of equal lines
// around them.
type hunk []lineOp

// hunks groups the changes of an edit script into hunks, merging changes
// whose context would touch.
func hunks(ops []lineOp) []hunk {
	var list []hunk
	start, end := -1, -1 // the current hunk is ops[start:end]
	for i, op := range ops {
		if op.kind == opEqual {
			continue
		}
		if start >= 0 && i-end <= 2*contextLines {
			end = i + 1 // close enough: extend the current hunk
			continue
		}
		if start >= 0 {
			list = append(list, hunk(ops[start:min(end+contextLines, len(ops))]))
		}
		start, end = max(i-contextLines, 0), i+1
	}
	if start >= 0 {
		list = append(list, hunk(ops[start:min(end+contextLines, len(ops))]))
	}
	return list
}

func (h hunk) write(out *strings.Builder, a, b []string) {
	var oldCount, newCount int
	for _, op := range h {
		if op.kind != opInsert {
			oldCount++
		}
		if op.kind != opDelete {
			newCount++
		}
	}
	// A range that is empty names the line before it, as diff -u does.
	oldStart, newStart := h[0].ai+1, h[0].bi+1
	if oldCount == 0 {
		oldStart--
	}
	if newCount == 0 {
		newStart--
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", oldStart, oldCount, newStart, newCount)
	for _, op := range h {
		line := ""
		switch op.kind {
		case opEqual, opDelete:
			line = a[op.ai]
		case opInsert:
			line = b[op.bi]
		}
		out.WriteByte(byte(op.kind))
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}
