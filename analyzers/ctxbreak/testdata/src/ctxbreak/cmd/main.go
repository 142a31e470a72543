// Command cmd is the program root: main and init have no caller whose
// context they could ignore.
package main

import (
	"context"
	"net/http"
	"os/signal"
	"syscall"
)

func serve(ctx context.Context) error { return nil }

var bootCtx context.Context

func init() {
	bootCtx = context.Background()
	serve(context.TODO())
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// A handler defined in main still has its request.
		serve(context.Background()) // want `in the function literal at main\.go:24, which has r\.Context\(\)`
	})
	serve(ctx)
	serve(context.Background())
}
