package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/demo/media"
)

// The same jobs, done right.

// HandleUploadRecovered transcodes in a goroutine that recovers, so that a
// panic costs one upload, not the server.
func (s *Server) HandleUploadRecovered(w http.ResponseWriter, r *http.Request) {
	src, err := s.save(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("transcode %s: panic: %v", src, p)
			}
		}()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Hour)
		defer cancel()
		if err := s.Transcoder.Transcode(ctx, src, src+".mp4"); err != nil {
			log.Printf("transcode %s: %v", src, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// HandleProbeCancellable stops ffprobe when the request ends.
func (s *Server) HandleProbeCancellable(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	info, err := media.ProbeOutput(r.Context(), s.FFprobe, path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(info)
}

// HandleThumbnailsEach releases each size's context when that size is done.
func (s *Server) HandleThumbnailsEach(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	for _, size := range []int{64, 256, 1024} {
		if err := s.thumbnail(r.Context(), name, size); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) thumbnail(ctx context.Context, name string, size int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel() // once per call: fine
	dst := filepath.Join(s.Dir, fmt.Sprintf("%s.%d.jpg", name, size))
	return s.Transcoder.Transcode(ctx, filepath.Join(s.Dir, name), dst)
}

// HandleArchiveDetached keeps the request's values, not its cancellation,
// and bounds the cleanup it times.
func (s *Server) HandleArchiveDetached(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	if err := s.archiveBounded(context.WithoutCancel(r.Context()), name); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) archiveBounded(ctx context.Context, name string) error {
	defer func() {
		// A cleanup with a deadline of its own, given to the cleanup.
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		s.Transcoder.Transcode(ctx, filepath.Join(s.Dir, name), os.DevNull)
	}()
	log.Printf("%v: archiving %s", ctx.Value(requestIDKey), name)
	return os.Rename(filepath.Join(s.Dir, name), filepath.Join(s.Dir, "archive", name))
}

// backgroundRecovered runs f in a goroutine of its own that recovers, so a
// panic in f costs that job, not the server.
func backgroundRecovered(f func()) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("background job: panic: %v", p)
			}
		}()
		f()
	}()
}

// HandleRemuxRecovered is handleRemux done right: its job runs through the
// recovering helper.
func (s *Server) HandleRemuxRecovered(w http.ResponseWriter, r *http.Request) {
	src := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	backgroundRecovered(func() {
		if err := s.Transcoder.Remux(src, src+".mkv"); err != nil {
			log.Printf("remux %s: %v", src, err)
		}
	})
	w.WriteHeader(http.StatusAccepted)
}

// HandlePreviewsBounded is handlePreviews done right: each render's timeout
// is derived from the request's context, so the renders stop when the client
// goes away.
func (s *Server) HandlePreviewsBounded(w http.ResponseWriter, r *http.Request) {
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
			ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
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

// HandleRetranscodeDetached does handleRetranscode's job right: the
// background work keeps the request's values but not its cancellation, and
// gets a deadline of its own.
func (s *Server) HandleRetranscodeDetached(w http.ResponseWriter, r *http.Request) {
	src := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	ctx := context.WithoutCancel(r.Context())
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("retranscode %s: panic: %v", src, p)
			}
		}()
		ctx, cancel := context.WithTimeout(ctx, time.Hour)
		defer cancel()
		if err := s.Transcoder.Transcode(ctx, src, src+".webm"); err != nil {
			log.Printf("retranscode %s: %v", src, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// RemuxLeasedReleasing does RemuxLeased's job right: the release gets a
// timeout of its own on a context that is not cancelled with ctx.
func (s *Server) RemuxLeasedReleasing(ctx context.Context, leases Leaser, name string) error {
	if err := leases.Acquire(ctx, name); err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := leases.Release(rctx, name); err != nil {
			log.Printf("release %s: %v", name, err)
		}
	}()
	src := filepath.Join(s.Dir, name)
	return s.Transcoder.Transcode(ctx, src, src+".mkv")
}
