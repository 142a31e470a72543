package deadline

import (
	"context"
	"net/http"
	"testing"
)

// A test's Shutdown is bounded by the test's own timeout.
func TestServe(t *testing.T) {
	srv := &http.Server{}
	srv.Shutdown(context.Background())
}
