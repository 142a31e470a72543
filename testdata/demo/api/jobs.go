package api

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"sync"
	"time"
)

// background runs f in a goroutine of its own.
func background(f func()) {
	// BUG handlerrecover (goroutine helper without recover): handleRemux
	// hands this helper a function that runs ffmpeg; a panic in it kills
	// the server, since net/http recovers only the handler's own goroutine.
	// Fix: defer a recover at the top of the goroutine.
	go f()
}

// handleRemux remuxes an upload in the background.
func (s *Server) handleRemux(w http.ResponseWriter, r *http.Request) {
	src := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	background(func() {
		if err := s.Transcoder.Remux(src, src+".mkv"); err != nil {
			log.Printf("remux %s: %v", src, err)
		}
	})
	w.WriteHeader(http.StatusAccepted)
}

// handlePreviews renders the thumbnail sizes in parallel and answers once
// they are all done.
func (s *Server) handlePreviews(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	src := filepath.Join(s.Dir, name)
	sizes := []int{64, 256, 1024}
	errs := make([]error, len(sizes))
	var wg sync.WaitGroup
	for i, size := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("panic: %v", p)
				}
			}()
			// BUG ctxbreak (fresh root in a goroutine the handler waits
			// for): the handler waits for these renders, yet they ignore
			// the request: a client that went away still costs three
			// ffmpeg runs. Fix: derive the timeout from r.Context().
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			dst := filepath.Join(s.Dir, fmt.Sprintf("%s.%d.jpg", name, size))
			errs[i] = s.Transcoder.Transcode(ctx, src, dst)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	w.WriteHeader(http.StatusCreated)
}
