package regress

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// The standard-library-only exemption gives one answer whether the
// function is started directly or called inside a function literal. Before
// issue 10 the two forms differed: a literal calling a package function
// that does only standard-library work (copyOnly), or handing a callback to
// a timer (time.AfterFunc, context.AfterFunc, whose callback runs in a
// goroutine of its own), was reported while the direct form was not; and
// a standard-library call started directly was exempt whatever callback it
// runs in the goroutine (filepath.Walk, sort.Slice), while the same call in
// a literal was reported.
type stdForms struct {
	dst  io.Writer
	src  io.Reader
	wg   sync.WaitGroup
	keys []string
}

func (s *stdForms) visit(path string, info os.FileInfo, err error) error {
	mustPositive(len(path))
	return nil
}
func (s *stdForms) less(i, j int) bool { mustPositive(i); return s.keys[i] < s.keys[j] }
func (s *stdForms) cleanup()           { mustPositive(0) }

// mustPositive is the package's own logic: it can panic.
func mustPositive(n int) {
	if n < 0 {
		panic("negative")
	}
}

func copyOnly(dst io.Writer, src io.Reader) { io.Copy(dst, src) }

func (s *stdForms) direct(w http.ResponseWriter, r *http.Request) {
	go io.Copy(s.dst, s.src)
	go copyOnly(s.dst, s.src)
	go time.AfterFunc(time.Second, s.cleanup)
	go context.AfterFunc(r.Context(), s.cleanup)
	go s.wg.Wait()
	go sort.Slice(s.keys, func(i, j int) bool { return s.keys[i] < s.keys[j] })
	go filepath.Walk("/", s.visit) // want `goroutine started in HTTP handler \(\*stdForms\)\.direct has no deferred recover`
	go sort.Slice(s.keys, s.less)  // want `goroutine started in HTTP handler \(\*stdForms\)\.direct has no deferred recover`
}

func (s *stdForms) literal(w http.ResponseWriter, r *http.Request) {
	go func() { io.Copy(s.dst, s.src) }()
	go func() { copyOnly(s.dst, s.src) }()
	go func() { time.AfterFunc(time.Second, s.cleanup) }()
	go func() { context.AfterFunc(r.Context(), s.cleanup) }()
	go func() { s.wg.Wait() }()
	go func() { sort.Slice(s.keys, func(i, j int) bool { return s.keys[i] < s.keys[j] }) }()
	go func() { filepath.Walk("/", s.visit) }() // want `goroutine started in HTTP handler \(\*stdForms\)\.literal has no deferred recover`
	go func() { sort.Slice(s.keys, s.less) }()  // want `goroutine started in HTTP handler \(\*stdForms\)\.literal has no deferred recover`
}

// A named function that calls nothing is the package's own code (a
// placeholder for it), in both forms.
func placeholder(string) {}

func (s *stdForms) placeholders(w http.ResponseWriter, r *http.Request) {
	go placeholder(r.URL.Path)              // want `goroutine started in HTTP handler \(\*stdForms\)\.placeholders has no deferred recover`
	go func() { placeholder(r.URL.Path) }() // want `goroutine started in HTTP handler \(\*stdForms\)\.placeholders has no deferred recover`
}
