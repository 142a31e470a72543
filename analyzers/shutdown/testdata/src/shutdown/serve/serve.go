package serve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/sync/errgroup"
)

func stop(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
}

// The classic: Serve's error to log.Fatal while Shutdown drains.
func fatal(srv *http.Server) {
	go stop(srv)
	log.Fatal(srv.ListenAndServe()) // want `the error of srv.ListenAndServe reaches log.Fatal at serve.go:25 without a check for http.ErrServerClosed: Shutdown at serve.go:19 makes it return ErrServerClosed at once, so the process exits before in-flight requests drain; treat errors.Is\(err, http.ErrServerClosed\) as success`
}

func inGoroutine(srv *http.Server) {
	go func() {
		if err := srv.ListenAndServeTLS("cert", "key"); err != nil { // want `the error of srv.ListenAndServeTLS reaches log.Fatalf at serve.go:31`
			log.Fatalf("listen: %v", err)
		}
	}()
}

func exit(srv *http.Server, l net.Listener) {
	if err := srv.Serve(l); err != nil { // want `the error of srv.Serve reaches os.Exit at serve.go:39`
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func panics(srv *http.Server, l net.Listener) {
	err := srv.ServeTLS(l, "", "") // want `the error of srv.ServeTLS reaches panic at serve.go:46`
	if err != nil {
		panic(fmt.Errorf("serve: %w", err))
	}
}

// Returned to a caller that exits.
func run(srv *http.Server) error {
	return srv.ListenAndServe() // want `the error of srv.ListenAndServe reaches log.Fatal at serve.go:56`
}

func main1(srv *http.Server) {
	log.Fatal(run(srv))
}

// Through an errgroup: Wait returns the first error.
func group(ctx context.Context, srv *http.Server) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return srv.ListenAndServe() // want `the error of srv.ListenAndServe reaches log.Fatal at serve.go:71 through g.Wait at serve.go:70 without a check for http.ErrServerClosed: Shutdown at serve.go:19 makes it return ErrServerClosed at once, so every graceful shutdown ends as a failure`
	})
	g.Go(func() error {
		<-gctx.Done()
		stop(srv)
		return nil
	})
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
}

// Negatives.

func checked(srv *http.Server) {
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

func checkedIs(srv *http.Server) {
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func checkedSwitch(srv *http.Server) {
	err := srv.ListenAndServe()
	switch {
	case errors.Is(err, http.ErrServerClosed):
	case err != nil:
		log.Fatal(err)
	}
}

// A wrapper that tests for ErrServerClosed passes nothing on.
func serveChecked(srv *http.Server) error {
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func main2(srv *http.Server) { log.Fatal(serveChecked(srv)) }

// Logged, not fatal.
func logged(srv *http.Server) {
	if err := srv.ListenAndServe(); err != nil {
		log.Print(err)
	}
}

// A flag that says a shutdown began.
type app struct {
	srv      *http.Server
	stopping bool
}

func (a *app) serve() {
	if err := a.srv.ListenAndServe(); err != nil && !a.stopping {
		log.Fatal(err)
	}
}

// The package-level ListenAndServe makes a server no one can shut down.
func plain() { log.Fatal(http.ListenAndServe(":8080", nil)) }

// Sent on a channel: the receiver's business.
func sent(srv *http.Server) chan error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	return errc
}

// An exit before the Serve call.
func before(srv *http.Server, err error) {
	if err != nil {
		log.Fatal(err)
	}
	srv.ListenAndServe()
}
