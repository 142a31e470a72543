package facts

import (
	"context"
	"log"
	"net/http"

	"shutdown/helpers"
)

func stop(srv *http.Server) {
	helpers.Stop(context.Background(), srv) // want `helpers.Stop, which calls Shutdown with its context, with a context that has no deadline \(context.Background\(\)\)`
}

func serve(srv *http.Server) {
	go helpers.GracefulStop(srv)
	log.Fatal(helpers.Serve(srv)) // want `the error of helpers.Serve, which returns the error of srv.ListenAndServe, reaches log.Fatal at facts.go:17 without a check for http.ErrServerClosed`
}

func run(s *helpers.Server) {
	if err := s.Run(); err != nil { // want `the error of s.Run, which returns the error of srv.ListenAndServe, reaches log.Fatal at facts.go:22`
		log.Fatal(err)
	}
}

// Negatives.

func checked(srv *http.Server) { log.Fatal(helpers.ServeChecked(srv)) }

func bounded(ctx context.Context, srv *http.Server) { helpers.Stop(ctx, srv) }
