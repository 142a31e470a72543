// Package noshutdown never calls Shutdown: its Serve errors are failures.
package noshutdown

import (
	"log"
	"net/http"
)

func main() {
	srv := &http.Server{Addr: ":8080"}
	log.Fatal(srv.ListenAndServe())
}
