// Package media wraps the ffmpeg command-line tool for the media service:
// transcoding uploads, recording live streams, extracting audio.
package media

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Transcoder runs ffmpeg. The zero value runs "ffmpeg" from $PATH.
type Transcoder struct {
	// FFmpeg is the ffmpeg binary; "ffmpeg" when empty.
	FFmpeg string
}

func (t *Transcoder) bin() string {
	if t.FFmpeg == "" {
		return "ffmpeg"
	}
	return t.FFmpeg
}

// Transcode converts src to dst. While ffmpeg runs, its pid is kept in
// dst+".pid" so that an operator can find a runaway job.
func (t *Transcoder) Transcode(ctx context.Context, src, dst string) error {
	cmd := exec.CommandContext(ctx, t.bin(), "-y", "-i", src, dst)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// BUG cmdwait (Start without Wait): when the pid file cannot be written,
	// Transcode returns with ffmpeg running and never reaps it. Fix: kill it
	// and call cmd.Wait before that return.
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	pidFile := dst + ".pid"
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		return fmt.Errorf("transcode %s: record pid: %w", src, err)
	}
	defer os.Remove(pidFile)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("ffmpeg %s: %w: %s", src, err, lastLine(&stderr))
	}
	return nil
}

// Record copies d worth of the live stream at url into dst.
func (t *Transcoder) Record(ctx context.Context, url, dst string, d time.Duration) error {
	secs := strconv.Itoa(int(d.Seconds()))
	cmd := exec.CommandContext(ctx, t.bin(), "-y", "-i", url, "-t", secs, "-c", "copy", dst)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	// BUG cmdwait (Process.Wait instead of Cmd.Wait): this reaps ffmpeg but
	// leaves the goroutine copying its stderr and the one watching ctx
	// running, and stderr may still be written while it is read below.
	// Fix: cmd.Wait().
	state, err := cmd.Process.Wait()
	if err != nil {
		return err
	}
	if !state.Success() {
		return fmt.Errorf("record %s: %s: %s", url, state, lastLine(&stderr))
	}
	return nil
}

// ExtractAudio writes the audio track of src to dst.
func (t *Transcoder) ExtractAudio(ctx context.Context, src, dst string) error {
	cmd := exec.CommandContext(ctx, t.bin(), "-y", "-i", src, "-vn", dst)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// BUG pipedrain (pipe never read): taken to keep ffmpeg's progress output
	// out of the service log, but nothing reads it; after 64 KiB ffmpeg
	// blocks writing and Wait never returns. Fix: leave cmd.Stdout nil, which
	// sends the output to /dev/null.
	if _, err := cmd.StdoutPipe(); err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("ffmpeg %s: %w: %s", src, err, lastLine(&stderr))
	}
	return nil
}

// Stream transcodes src to MPEG-TS and copies it to w as ffmpeg produces it.
func (t *Transcoder) Stream(ctx context.Context, src string, w io.Writer) error {
	cmd := exec.CommandContext(ctx, t.bin(), "-i", src, "-f", "mpegts", "pipe:1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(w, stdout)
		copied <- err
	}()
	// BUG pipedrain (Run after StdoutPipe): Run waits for ffmpeg and then
	// closes the pipe, racing the copy above, which loses the end of the
	// stream ("read |0: file already closed"). Fix: cmd.Start, wait for the
	// copy to finish, then cmd.Wait.
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ffmpeg %s: %w", src, err)
	}
	return <-copied
}

// lastLine returns the last line of ffmpeg's stderr, which holds the error.
func lastLine(b *bytes.Buffer) string {
	s := strings.TrimSpace(b.String())
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
