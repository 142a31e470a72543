package suppress

import (
	"context"
	"net/http"
)

func ignored(srv *http.Server) {
	//lifeguard:ignore shutdown the server has no keep-alive connections
	srv.Shutdown(context.Background())
}

func nolint(srv *http.Server) {
	srv.Shutdown(context.Background()) //nolint:lifeguard
}

func reported(srv *http.Server) {
	srv.Shutdown(context.Background()) // want `srv.Shutdown with a context that has no deadline`
}
