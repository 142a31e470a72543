// Package safe is a recover helper package imported by handlerrecover/a:
// its functions' facts (recovers, protected, runs its argument under
// recover) must carry across the package boundary. It does not import
// net/http: it is analyzed because it calls recover.
package safe

import "log"

// Recover logs a panic; it calls recover itself, so `defer safe.Recover()`
// stops a panic.
func Recover() { // want Recover:"panics\\(recovers\\)"
	if r := recover(); r != nil {
		log.Printf("panic: %v", r)
	}
}

// logPanic is the helper the broken pattern calls from a deferred literal.
func LogPanic() { // want LogPanic:"panics\\(recovers\\)"
	if r := recover(); r != nil {
		log.Printf("panic: %v", r)
	}
}

// Run calls f under a deferred recover: a safe goroutine body and a wrapper.
func Run(f func()) { // want Run:"panics\\(protected runs\\[0\\]\\)"
	defer Recover()
	f()
}

// RunE is Run with a literal deferred recover and an error result.
func RunE(name string, f func() error) (err error) { // want RunE:"panics\\(protected runs\\[1\\]\\)"
	defer func() {
		if r := recover(); r != nil {
			log.Printf("%s: panic: %v", name, r)
		}
	}()
	return f()
}

// Group runs functions under recover, through a method.
type Group struct{ name string }

// Do is a method wrapper: bit 1 (the receiver is parameter 0).
func (g *Group) Do(f func()) { // want Do:"panics\\(protected runs\\[1\\]\\)"
	defer Recover()
	f()
}

// Guarded is protected, no wrapper: a goroutine body on its own.
func Guarded() { // want Guarded:"panics\\(protected\\)"
	defer Recover()
	work()
}

// Unguarded is neither.
func Unguarded() {
	work()
}

// Spawn starts f in a protected goroutine; it does not run f itself: a
// starter, safe as a goroutine body (go safe.Spawn(f)).
func Spawn(f func()) { // want Spawn:"panics\\(protected starts\\[0\\]\\)"
	go func() {
		defer Recover()
		f()
	}()
}

func work() {}
