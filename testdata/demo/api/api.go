// Package api is the media service's HTTP API: uploads are transcoded in
// the background, files are probed on request, thumbnails are rendered in
// several sizes.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/demo/media"
)

// Server serves the API. Dir holds the uploaded and transcoded files.
type Server struct {
	Dir        string
	FFprobe    string
	Transcoder *media.Transcoder
}

type ctxKey int

// requestIDKey holds the request id the logging middleware sets.
const requestIDKey ctxKey = 0

// Handler returns the API's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", s.handleUpload)
	mux.HandleFunc("GET /probe", s.handleProbe)
	mux.HandleFunc("POST /thumbnails", s.handleThumbnails)
	mux.HandleFunc("POST /archive", s.handleArchive)
	mux.HandleFunc("POST /remux", s.handleRemux)
	mux.HandleFunc("POST /previews", s.handlePreviews)
	mux.HandleFunc("POST /retranscode", s.handleRetranscode)
	return mux
}

// handleUpload stores the upload and transcodes it in the background.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	src, err := s.save(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// BUG handlerrecover (goroutine without recover): net/http recovers
	// panics in the handler's goroutine only. A panic in this one (a nil
	// Transcoder, a bug in ffmpeg's output parsing) kills the whole server
	// and every request in flight. Fix: defer a recover at its top.
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Hour)
		defer cancel()
		if err := s.Transcoder.Transcode(ctx, src, src+".mp4"); err != nil {
			log.Printf("transcode %s: %v", src, err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// handleProbe reports what ffprobe knows of a stored file.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(s.Dir, filepath.Base(r.URL.Query().Get("name")))
	// BUG ctxbreak (fresh root where a request context exists): when the
	// client goes away or the server shuts down, ffprobe runs on, and its
	// trace spans hang off nothing. Fix: pass r.Context().
	info, err := media.Probe(context.Background(), s.FFprobe, path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(info)
}

// handleThumbnails renders a thumbnail of the upload in every size, each
// with its own deadline.
func (s *Server) handleThumbnails(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	src := filepath.Join(s.Dir, name)
	for _, size := range []int{64, 256, 1024} {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		// BUG defercancel (defer cancel() in a loop): each size's context
		// and timer live until the handler returns. Fix: call cancel once
		// the size is done, or move the body into a function.
		defer cancel()
		dst := filepath.Join(s.Dir, fmt.Sprintf("%s.%d.jpg", name, size))
		if err := s.Transcoder.Transcode(ctx, src, dst); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	w.WriteHeader(http.StatusCreated)
}

// handleArchive moves an upload into the archive and removes its
// transcoded copies.
func (s *Server) handleArchive(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	// BUG ctxbreak (values copied into a fresh root): the job keeps the
	// request id for its logs but loses the request's deadline and trace.
	// Fix: context.WithoutCancel(r.Context()) keeps every value, and
	// nothing of the cancellation.
	job := context.WithValue(context.Background(), requestIDKey, r.Context().Value(requestIDKey))
	if err := s.archive(job, name); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) archive(ctx context.Context, name string) error {
	// Remove the transcoded copies on the way out, whatever happens.
	defer func() {
		// BUG defercancel (context made in a deferred function): the
		// timeout is made as archive returns and given to nothing:
		// os.RemoveAll takes no context, so the cleanup is not bounded.
		// Fix: drop it, or pass it to the calls it should bound.
		_, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		os.RemoveAll(filepath.Join(s.Dir, name+".thumbs"))
	}()
	log.Printf("%v: archiving %s", ctx.Value(requestIDKey), name)
	return os.Rename(filepath.Join(s.Dir, name), filepath.Join(s.Dir, "archive", name))
}

func (s *Server) save(body io.Reader) (string, error) {
	f, err := os.CreateTemp(s.Dir, "upload-*")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, body); err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}
