package exits

import (
	"bufio"
	"compress/gzip"
	"context"
	"log"
	"os"
	"os/exec"
	"runtime/pprof"
	"sync"
	"time"
)

type tracerProvider struct{}

func (*tracerProvider) Shutdown(context.Context) error { return nil }

func newProvider() *tracerProvider { return &tracerProvider{} }

func load() error { return nil }

func provider() {
	tp := newProvider()
	defer tp.Shutdown(context.Background())
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred tp.Shutdown at exits.go:25: what it would flush or write out is lost; return instead, and exit where no such defer is pending \(func main\(\) \{ os.Exit\(run\(\)\) \}\)`
	}
}

func flush() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := load(); err != nil {
		os.Exit(1) // want `os.Exit exits without running the deferred w.Flush at exits.go:33: what it would flush or write out is lost`
	}
}

func gz(f *os.File) {
	zw := gzip.NewWriter(f)
	defer zw.Close()
	defer f.Close()
	if err := load(); err != nil {
		log.Fatalf("load: %v", err) // want `log.Fatalf exits without running the deferred zw.Close at exits.go:41: what it buffers is never written out`
	}
}

func child() {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer cmd.Process.Kill()
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred cmd.Process.Kill at exits.go:53: the child process runs on`
	}
}

func profile(f *os.File) {
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred pprof.StopCPUProfile at exits.go:61: the profile or trace is never written out`
	}
}

// A function literal that does the cleanup, and a second one.
func literal() {
	tp := newProvider()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		tp.Shutdown(ctx)
	}()
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred w.Flush at exits.go:71 \(and 1 other deferred cleanup\)`
	}
}

// A shutdown func a setup returned.
func setup() (shutdown func(context.Context) error) { return nil }

func funcValue() {
	shutdown := setup()
	defer shutdown(context.Background())
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred shutdown at exits.go:87: the cleanup it does never happens`
	}
}

// An exit through a helper of the package.
func fail(err error) {
	log.Print(err)
	os.Exit(1)
}

func main() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := load(); err != nil {
		fail(err) // want `fail exits without running the deferred w.Flush at exits.go:101`
	}
}

// TestMain-style: the fixture's cleanup is skipped.
func removeAll(dir string) {
	defer os.RemoveAll(dir)
	os.Exit(run()) // want `os.Exit exits without running the deferred os.RemoveAll at exits.go:109: what it removes stays behind`
}

// A package's flush function.
func flushLogs() {}

func logs() {
	defer flushLogs()
	if err := load(); err != nil {
		log.Fatal(err) // want `log.Fatal exits without running the deferred flushLogs at exits.go:\d+: what it would flush or write out is lost`
	}
}

// One finding per cleanup, at the first exit that skips it.
func manyExits(a, b error) {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if a != nil {
		log.Fatal(a) // want `log.Fatal exits without running the deferred w.Flush at exits.go:\d+, and so do 2 other exits of the function: what it would flush or write out is lost`
	}
	if b != nil {
		log.Fatal(b)
	}
	os.Exit(0)
}

// Negatives.

// A temporary directory left behind when the program fails: the error
// path only.
func tempOnError() {
	dir, err := os.MkdirTemp("", "x")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := load(); err != nil {
		log.Fatal(err)
	}
}

// The idiom: main has no defers, run has them all.
func run() int {
	tp := newProvider()
	defer tp.Shutdown(context.Background())
	if err := load(); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}

func main2() { os.Exit(run()) }

// Cancels, unlocks and closes of files end with the process.
func harmless(mu *sync.Mutex, f *os.File) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mu.Lock()
	defer mu.Unlock()
	defer f.Close()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	_ = ctx
	if err := load(); err != nil {
		log.Fatal(err)
	}
}

// The exit comes before the defer.
func exitFirst() {
	if err := load(); err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
}

// The cleanup ran before the exit.
func ranFirst() {
	w := bufio.NewWriter(os.Stdout)
	err := load()
	w.Flush()
	if err != nil {
		os.Exit(1)
	}
}

// log.Panic runs the deferred calls.
func panics() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := load(); err != nil {
		log.Panic(err)
	}
}
