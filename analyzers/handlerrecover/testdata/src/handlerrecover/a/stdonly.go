package a

import (
	"context"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"reflect"
	"sort"
	"sync"
	"time"
)

// Goroutines that do nothing but standard-library work are go io.Copy
// written out: not reported.
type proxy struct {
	conn, backend net.Conn
	v             any
	fn            reflect.Value
}

func (p *proxy) stdWork(w http.ResponseWriter, r *http.Request) {
	conn, backend := p.conn, p.backend
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() { // a watcher
		select {
		case <-ctx.Done():
		case <-time.After(time.Minute):
			cancel()
		}
		conn.Close()
	}()
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	wg.Add(1)
	go func() { // a copier
		defer wg.Done()
		_, err := io.Copy(backend, conn)
		errc <- err
	}()
	go copyBack(errc, conn, backend) // a named copier: only the standard library
	go func() {
		wg.Wait()
		close(errc)
	}()
	m := map[string]int{"a": 1}
	go func() {
		keys := make([]string, 0, len(m))
		for k := range maps.Keys(m) { // a standard-library iterator
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		log.Println(keys)
	}()
	go func() {
		if c, ok := conn.(interface{ CloseWrite() error }); ok {
			c.CloseWrite()
		}
	}()
	t := time.AfterFunc(time.Second, cancel)
	go func() {
		<-ctx.Done()
		t.Stop()
	}()
}

func copyBack(errc chan<- error, conn, backend net.Conn) {
	_, err := io.Copy(conn, backend)
	errc <- err
}

// The exemption ends at the package's own logic and at code that can
// panic by itself.
func (p *proxy) notStdWork(w http.ResponseWriter, r *http.Request) {
	v, fn := p.v, p.fn
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		log.Println(v.(string)) // a type assertion that can fail
	}()
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		if v == nil {
			panic("no value")
		}
	}()
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		fn.Call(nil) // runs arbitrary code
	}()
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		keys := []string{"b", "a"}
		sort.Slice(keys, func(i, j int) bool { audit(r); return keys[i] < keys[j] })
	}()
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		time.Sleep(time.Second)
		cleanupAfter(r) // the package's own function
	}()
	go func() { // want `goroutine started in HTTP handler \(\*proxy\)\.notStdWork has no deferred recover`
		for range seq(2) { // the package's own iterator
		}
	}()
}

// cleanupAfter is the package's own code: a function that calls nothing
// stands for it, called in a literal as when started directly (go
// cleanupAfter(r)). A function doing standard-library work is exempt in
// both forms (regress/stdforms.go).
func cleanupAfter(*http.Request) {}
