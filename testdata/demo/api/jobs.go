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

// handleRetranscode transcodes an upload again in the background and
// answers at once.
func (s *Server) handleRetranscode(w http.ResponseWriter, r *http.Request) {
	src := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	ctx := r.Context()
	// BUG ctxbreak (request context carried past its request): the handler
	// answers 202 and returns, and net/http cancels r.Context() right then:
	// ffmpeg is killed a few milliseconds in, every time. Fix:
	// context.WithoutCancel(r.Context()) with a timeout of its own.
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("retranscode %s: panic: %v", src, p)
			}
		}()
		if err := s.Transcoder.Transcode(ctx, src, src+".webm"); err != nil {
			log.Printf("retranscode %s: %v", src, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// A Leaser leases an upload to one worker at a time: a row in a database,
// a key in etcd.
type Leaser interface {
	Acquire(ctx context.Context, name string) error
	Release(ctx context.Context, name string) error
}

// RemuxLeased remuxes an upload while holding its lease, and gives the
// lease back however it returns.
func (s *Server) RemuxLeased(ctx context.Context, leases Leaser, name string) error {
	if err := leases.Acquire(ctx, name); err != nil {
		return err
	}
	defer func() {
		// BUG defercancel (cleanup context derived from a context that may
		// be cancelled): RemuxLeased returns early because ctx was
		// cancelled (a timeout, a shutdown), and then rctx is done before
		// Release starts: the lease stays taken until it expires. Fix:
		// context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second).
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := leases.Release(rctx, name); err != nil {
			log.Printf("release %s: %v", name, err)
		}
	}()
	src := filepath.Join(s.Dir, name)
	return s.Transcoder.Transcode(ctx, src, src+".mkv")
}
