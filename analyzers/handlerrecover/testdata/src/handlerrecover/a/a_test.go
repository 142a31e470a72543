package a

import (
	"net/http"
	"testing"
)

// Go statements in test files are not reported: a crashing test server is
// not a production outage.
func testHandler(w http.ResponseWriter, r *http.Request) {
	go audit(r)
	go helperFromTest(r)
	onlyFromTests(r)
}

func helperFromTest(r *http.Request) {
	go audit(r)
}

func TestServer(t *testing.T) {
	http.HandleFunc("/t", func(w http.ResponseWriter, r *http.Request) {
		go audit(r)
	})
}
