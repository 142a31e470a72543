package signals

import (
	"os"
	"os/signal"
	"syscall"
)

func closeWithoutStop() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
	close(c) // want `close of c, given to signal.Notify at signals.go:11, with no signal.Stop before it: a signal that arrives afterwards is sent on the closed channel and panics; call signal.Stop\(c\) first`
}

func deferredClose() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	defer close(c) // want `close of c, given to signal.Notify at signals.go:18`
	<-c
}

// defer runs last-in first-out: the Stop deferred first runs after the
// close.
func deferredWrongOrder() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	defer signal.Stop(c)
	defer close(c) // want `close of c, given to signal.Notify at signals.go:27`
	<-c
}

// Stop on one path only.
func stopOnOnePath(quiet bool) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	if quiet {
		signal.Stop(c)
	}
	close(c) // want `close of c, given to signal.Notify at signals.go:36`
}

// A field: Notify in one method, close in another.
type watcher struct{ sigs chan os.Signal }

func (w *watcher) start() { signal.Notify(w.sigs, os.Interrupt) }

func (w *watcher) stop() {
	close(w.sigs) // want `close of w.sigs, given to signal.Notify at signals.go:46`
}

// In a goroutine.
func inGoroutine() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	go func() {
		<-c
		close(c) // want `close of c, given to signal.Notify at signals.go:55`
	}()
}

// Negatives.

func stopFirst() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
	signal.Stop(c)
	close(c)
}

func deferredRightOrder() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	defer close(c)
	defer signal.Stop(c)
	<-c
}

func deferredStopAfter() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	defer close(c)
	<-c
	signal.Stop(c)
}

type watcher2 struct{ sigs chan os.Signal }

func (w *watcher2) start() { signal.Notify(w.sigs, os.Interrupt) }

func (w *watcher2) unsubscribe() { signal.Stop(w.sigs) }

func (w *watcher2) stop() {
	w.unsubscribe()
	close(w.sigs)
}

// Never given to Notify.
func notNotified() {
	c := make(chan os.Signal, 1)
	close(c)
}

// Handed to a helper that may stop it.
func handedOff(stopper func(chan<- os.Signal)) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	stopper(c)
	close(c)
}
