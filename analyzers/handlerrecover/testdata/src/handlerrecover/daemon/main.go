// Command daemon starts its goroutines from main, not from a handler:
// nothing here is reported.
package main

import (
	"log"
	"net/http"
	"time"
)

type stats struct{ hits chan string }

func (s *stats) loop() {
	for p := range s.hits {
		log.Println(p)
	}
}

func main() {
	s := &stats{hits: make(chan string, 64)}
	go s.loop()
	go func() {
		for range time.Tick(time.Minute) {
			go s.flush()
		}
	}()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.hits <- r.URL.Path:
		default:
		}
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}

func (s *stats) flush() {}
