// Command mediaserver serves the demo media API until it gets SIGINT or
// SIGTERM, keeping an audit log of what it served.
//
//	mediaserver [-addr :8080] [-dir media] [-audit audit.log]
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"example.com/demo/api"
	"example.com/demo/media"
)

func main() {
	addr := flag.String("addr", ":8080", "listen on `address`")
	dir := flag.String("dir", "media", "keep the media files in `dir`")
	auditPath := flag.String("audit", "audit.log", "append the audit log to `file`")
	flag.Parse()

	auditFile, err := os.OpenFile(*auditPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	audit := bufio.NewWriter(auditFile)
	defer audit.Flush()

	s := &api.Server{Dir: *dir, FFprobe: "ffprobe", Transcoder: &media.Transcoder{FFmpeg: "ffmpeg"}}
	srv := &http.Server{Addr: *addr, Handler: logged(audit, s.Handler())}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		// BUG shutdown (close of a signal.Notify channel before signal.Stop)
		close(sigs)
		// BUG shutdown (Shutdown with a context that has no deadline)
		srv.Shutdown(context.Background())
	}()

	// BUG shutdown (Serve's error to log.Fatal without a test for http.ErrServerClosed)
	if err := srv.ListenAndServe(); err != nil {
		// BUG shutdown (log.Fatal with the deferred audit.Flush pending)
		log.Fatal(err)
	}
}

// logged writes a line to the audit log for each request.
func logged(audit *bufio.Writer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		auditMu.Lock()
		defer auditMu.Unlock()
		audit.WriteString(r.Method + " " + r.URL.Path + "\n")
	})
}
