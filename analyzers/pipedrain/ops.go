package pipedrain

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

type ownershipUse = ownership.Use

// A pipeOp is one thing the function does with a pipe end: an instruction of
// the function being checked, what it does, and when.
type pipeOp struct {
	instr  ssa.Instruction
	pos    token.Pos // the read or close itself, for messages (inside a closure, maybe)
	effect facts.Effect
	// concurrent: it happens in a goroutine started at instr.
	concurrent bool
	// deferred: it happens when the function returns.
	deferred bool
	// givenToChild is the store of the pipe end into a command's Stdin,
	// Stdout, Stderr or ExtraFiles.
	givenToChild ssa.Instruction
	// loop: a read that is a drain only because it runs in a loop that
	// ends on its result (for sc.Scan() { ... }); the loop's other exits
	// (a break, a return) leave the pipe read only partly.
	loop bool
	// limited: the read goes through io.LimitReader, whose EOF is not the
	// pipe's.
	limited bool
	// decoder: a read of a value or a delimited record (json, xml or gob
	// Decode, csv Read, bufio.Reader ReadString or ReadBytes): output a
	// short-lived child prints before it exits.
	decoder bool
	// partial: a read of part of the stream (a line, a byte, a buffer, n
	// bytes: Scan, ReadString, Read, io.ReadFull, io.CopyN), not of a
	// self-delimiting value a decoder parses.
	partial bool
	// cmdHandoffs are where the command given the pipe end (givenToChild)
	// is handed off: from there on, its new owner may close its stdio.
	cmdHandoffs []ssa.Instruction
	// toStdin: the pipe end is stored into a command's Stdin.
	toStdin bool
	// valueRead: a decoder's Decode of one value outside a loop; reading
	// the value leaves the pipe empty, failing on malformed output leaves
	// the rest unread.
	valueRead bool
	// multi is the io.MultiReader call the pipe end is given to, also set
	// on the reads through it.
	multi *ssa.Call
}

const maxDepth = 3

// eventualEffect is the op's effect once the function has run: a pipe end
// given to a command that is handed off later is handed off with it.
func (op pipeOp) eventualEffect() facts.Effect {
	if op.cmdHandoffs != nil {
		return facts.Handoff
	}
	return op.effect
}

// valueOps lists what the function does with the pipe end v.
func valueOps(t *facts.Table, v ssa.Value) []pipeOp {
	return pipeOps(t, ownership.Uses(v), 0)
}

func pipeOps(t *facts.Table, uses []ownership.Use, depth int) []pipeOp {
	var ops []pipeOp
	for _, u := range uses {
		op := pipeOp{instr: u.Instr, pos: u.Pos()}
		switch u.Kind {
		case ownership.Call, ownership.Go, ownership.Defer:
			op.concurrent = u.Kind == ownership.Go
			op.deferred = u.Kind == ownership.Defer
			var derived []pipeOp
			op.effect, derived = callEffect(t, u, depth, &op)
			for _, d := range derived {
				d.concurrent = d.concurrent || op.concurrent
				d.deferred = d.deferred || op.deferred
				ops = append(ops, d)
			}
		case ownership.Capture:
			op = closureOp(t, u, depth)
		case ownership.Store:
			op.effect = facts.Handoff
			// Given to a child of a command this function owns: exec
			// never closes it, and nobody else can. Stored into another
			// owner's command, whoever waits for it may close it.
			if st, ok := u.Instr.(*ssa.Store); ok {
				cmd, field := childStdio(st.Addr)
				switch {
				case cmd != nil && field == "Stdin":
					// b.Stdin = r: b's child reads the pipe end (exec gives
					// it an *os.File directly, or copies a reader to EOF),
					// a hand-off whoever owns b. The pipeline idiom
					// b.Stdin, _ = a.StdoutPipe() hands a's stdout to b.
					op.toStdin = true
					if lifecycle.OwnedHere(t, cmd) {
						op.givenToChild = st
					}
				case cmd != nil && lifecycle.OwnedHere(t, cmd):
					op.effect, op.givenToChild = facts.Neutral, st
				case cmd != nil:
					// Handed off later: the pipe end is the child's, and
					// this function's, until then.
					if handoffs, ok := ownedUntil(t, cmd); ok {
						op.effect, op.givenToChild, op.cmdHandoffs = facts.Neutral, st, handoffs
					}
				default:
					if fst := ownership.SliceStoredInto(st.Addr); fst != nil {
						if cmd, _ := childStdio(fst.Addr); cmd != nil && lifecycle.OwnedHere(t, cmd) {
							op.effect, op.givenToChild = facts.Neutral, fst
						}
					}
				}
			}
		case ownership.Field, ownership.Compare:
			op.effect = facts.Neutral
		default:
			op.effect = facts.Handoff
		}
		ops = append(ops, op)
	}
	return ops
}

// childStdio returns the command whose Stdin, Stdout, Stderr or
// ExtraFiles field addr is, and the field, or nil: the child gets the pipe
// end there, and exec never closes a non-*os.File writer it is given.
func childStdio(addr ssa.Value) (ssa.Value, string) {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return nil, ""
	}
	f := apis.FieldOf(fa)
	if f == nil || !apis.IsCmd(fa.X.Type()) {
		return nil, ""
	}
	switch f.Name() {
	case "Stdin", "Stdout", "Stderr", "ExtraFiles":
		return fa.X, f.Name()
	}
	return nil, ""
}

// closureOp summarises a closure that captures the pipe end: what its body
// does with it, and whether it runs now, later (defer), concurrently (go) or
// at some unknown time (the closure is stored or passed on: a hand-off).
func closureOp(t *facts.Table, u ownership.Use, depth int) pipeOp {
	op := pipeOp{instr: u.Instr, pos: u.Pos(), effect: facts.Handoff}
	mc, ok := u.Instr.(*ssa.MakeClosure)
	if !ok || u.FreeVar == nil || depth >= maxDepth {
		return op
	}
	refs := *mc.Referrers()
	if len(refs) != 1 {
		return op
	}
	var common *ssa.CallCommon
	switch inv := refs[0].(type) {
	case *ssa.Go:
		common, op.concurrent = &inv.Call, true
	case *ssa.Defer:
		common, op.deferred = &inv.Call, true
	case *ssa.Call:
		common = &inv.Call
	}
	if common == nil || common.Value != mc {
		return op
	}
	op.instr = refs[0]
	op.effect = 0
	first := token.NoPos
	for _, inner := range pipeOps(t, ownership.CellUses(u.FreeVar), depth+1) {
		op.effect |= inner.effect
		if inner.effect&(facts.Read|facts.Drain|facts.Close) != 0 && !first.IsValid() {
			first = inner.pos
		}
	}
	if op.effect == 0 {
		op.effect = facts.Neutral
	}
	if first.IsValid() {
		op.pos = first
	}
	return op
}

// readerWrappers take a reader and return one that reads from it: reads of
// the wrapper are reads of the pipe.
var readerWrappers = map[string]map[string]bool{
	"bufio":           {"NewScanner": true, "NewReader": true, "NewReaderSize": true},
	"encoding/json":   {"NewDecoder": true},
	"encoding/xml":    {"NewDecoder": true},
	"encoding/gob":    {"NewDecoder": true},
	"encoding/csv":    {"NewReader": true},
	"io":              {"TeeReader": true, "LimitReader": true, "NopCloser": true, "MultiReader": true},
	"compress/gzip":   {"NewReader": true},
	"compress/zlib":   {"NewReader": true},
	"net/textproto":   {"NewReader": true},
	"archive/tar":     {"NewReader": true},
	"mime/multipart":  {"NewReader": true},
	"encoding/base64": {"NewDecoder": true},
	"encoding/hex":    {"NewDecoder": true},
}

func isReaderWrapper(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || apis.RecvTypeName(fn) != "" {
		return false
	}
	return readerWrappers[fn.Pkg().Path()][fn.Name()]
}

// callEffect classifies a call that uses the pipe end, and marks op as a
// loop, decoder or MultiReader use. Reads through a wrapper (a
// bufio.Scanner over the pipe) come back as derived ops.
func callEffect(t *facts.Table, u ownership.Use, depth int, op *pipeOp) (facts.Effect, []pipeOp) {
	c := u.Common
	if e := t.ExtraEffect(c); e != 0 {
		return e, nil
	}
	if apis.Receiver(c) == u.Value && (u.Arg == -1 || u.Arg == 0) {
		if fn := apis.Callee(c); fn != nil {
			e := methodEffect(fn.Name())
			op.decoder = isDecoderRead(fn)
			op.partial = partialMethod(fn)
			if e&facts.Read != 0 && e&facts.Drain == 0 && loopEndsOnResult(u.Instr) {
				// for sc.Scan() { ... }, for { br.ReadString('\n') ... }:
				// reads in a loop that ends on what they return read to
				// EOF. A loop counting to a known length does not.
				e |= facts.Drain
				op.loop = true
			}
			op.valueRead = !op.loop && op.decoder && (fn.Name() == "Decode" || fn.Name() == "DecodeElement")
			return e, nil
		}
		return facts.Handoff, nil
	}
	if u.Arg == -1 {
		return facts.Handoff, nil // the pipe end is called as a function
	}
	fn := apis.Callee(c)
	if isReaderWrapper(fn) && depth < maxDepth {
		if apis.IsFunc(fn, "io", "MultiReader") {
			op.multi, _ = u.Instr.(*ssa.Call)
		}
		wrapped := wrapperResult(u.Instr)
		if wrapped == nil {
			return facts.Neutral, nil
		}
		derived := pipeOps(t, ownership.Uses(wrapped), depth+1)
		if op.multi != nil {
			for i := range derived {
				derived[i].multi = op.multi
			}
		}
		if apis.IsFunc(fn, "io", "LimitReader") {
			// Reading the LimitReader to its EOF reads n bytes of the
			// pipe, not the pipe to its EOF.
			for i := range derived {
				if derived[i].effect&facts.Drain != 0 {
					derived[i].effect = derived[i].effect&^facts.Drain | facts.Read
				}
				derived[i].loop, derived[i].limited = false, true
				derived[i].partial = derived[i].effect&facts.Read != 0
			}
		}
		return facts.Neutral, derived
	}
	if fn != nil && (apis.IsFunc(fn, "io", "ReadFull") || apis.IsFunc(fn, "io", "ReadAtLeast")) && u.Arg == 0 ||
		apis.IsFunc(fn, "io", "CopyN") && u.Arg == 1 {
		op.partial = true
	}
	return t.ArgEffect(c, u.Arg), nil
}

// partialMethod reports whether fn, called on a pipe end or a reader
// wrapping it, reads part of the stream: a line, a rune, a byte, a buffer.
// The methods of json, xml and gob decoders parse a self-delimiting value,
// the child's whole result: not partial.
func partialMethod(fn *types.Func) bool {
	if fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "encoding/json", "encoding/xml", "encoding/gob":
			return false
		}
	}
	switch fn.Name() {
	case "Scan", "Read", "ReadByte", "ReadRune", "ReadString", "ReadBytes", "ReadLine", "ReadSlice", "Peek", "Discard":
		return true
	}
	return false
}

// isDecoderRead reports whether fn reads one value or delimited record
// from a reader: the Decode of a json, xml or gob Decoder, a csv.Reader's
// Read or ReadAll, a bufio.Reader's ReadString or ReadBytes.
func isDecoderRead(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	recv := apis.RecvTypeName(fn)
	switch fn.Pkg().Path() {
	case "encoding/json", "encoding/xml", "encoding/gob":
		return recv == "Decoder" && (fn.Name() == "Decode" || fn.Name() == "DecodeElement")
	case "encoding/csv":
		return recv == "Reader" && (fn.Name() == "Read" || fn.Name() == "ReadAll")
	case "bufio":
		return recv == "Reader" && (fn.Name() == "ReadString" || fn.Name() == "ReadBytes")
	}
	return false
}

func wrapperResult(instr ssa.Instruction) ssa.Value {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return nil
	}
	if _, isTuple := call.Type().(*types.Tuple); isTuple {
		return extract(call, 0)
	}
	return call
}

// methodEffect classifies a method called on a pipe end or a reader
// wrapping it.
func methodEffect(name string) facts.Effect {
	switch name {
	case "Close", "CloseWithError":
		return facts.Close
	case "WriteTo", "ReadAll":
		// bufio.Reader.WriteTo, csv.Reader.ReadAll: to EOF.
		return facts.Drain | facts.Read
	case "Scan", "Read", "ReadAt", "ReadByte", "ReadRune", "ReadString", "ReadBytes", "ReadLine", "ReadSlice",
		"Decode", "DecodeElement", "Token", "Next", "Peek", "Discard", "More", "Buffered", "ReadMIMEHeader":
		return facts.Read
	}
	return facts.Neutral
}

// loopEndsOnResult reports whether the call runs in a loop that a branch on
// its own results can leave: Scan returning false, Read or ReadString
// returning an error. Such a loop reads until the reader says it is done.
// A loop bounded by a counter (for i := 0; i < n; i += k { r.Read(...) })
// reads a known length, even if it checks each read's error.
func loopEndsOnResult(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok || call.Block() == nil || !inLoop(call.Block()) {
		return false
	}
	home := call.Block()
	seen := map[ssa.Value]bool{}
	var derived func(v ssa.Value, depth int) bool
	derived = func(v ssa.Value, depth int) bool {
		if depth > 4 || seen[v] || v.Referrers() == nil {
			return false
		}
		seen[v] = true
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.If:
				for _, succ := range r.Block().Succs {
					if !cfgpath.BlockReaches(succ, home) {
						return true
					}
				}
			case *ssa.Extract, *ssa.BinOp, *ssa.UnOp, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Call:
				// err == io.EOF, !ok, errors.Is(err, io.EOF).
				if derived(r.(ssa.Value), depth+1) {
					return true
				}
			}
		}
		return false
	}
	return derived(call, 0)
}

// inLoop reports whether control can come back to b after leaving it.
func inLoop(b *ssa.BasicBlock) bool {
	for _, s := range b.Succs {
		if cfgpath.BlockReaches(s, b) {
			return true
		}
	}
	return false
}
