package main

import (
	"bufio"
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

var auditMu sync.Mutex

// shutdownTimeout bounds how long the requests in flight may take to
// finish once a signal has come.
const shutdownTimeout = 20 * time.Second

// serveGracefully does what main should: the signal stops the server
// through a context (signal.NotifyContext; its stop unregisters the
// channel), Shutdown gets a deadline of its own, ErrServerClosed is
// success, and errors are returned, so the deferred Flush runs before
// the process exits: main would be func main() { os.Exit(serveGracefully(...)) }.
func serveGracefully(srv *http.Server, audit *bufio.Writer) (code int) {
	defer audit.Flush()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	select {
	case err := <-served:
		log.Print(err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("shutdown: %v", err)
		srv.Close()
		return 1
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
		return 1
	}
	return 0
}

// serveUntilSignal is the same with the channel of signal.Notify: it
// stops the delivery before it closes the channel.
func serveUntilSignal(srv *http.Server) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		signal.Stop(sigs)
		close(sigs)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
