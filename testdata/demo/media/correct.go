package media

// The same jobs as the buggy functions in this package, done right. lifeguard
// reports nothing in this file.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os/exec"
	"time"
)

// StreamTo is Stream done right: Start, read the pipe to EOF, then Wait. When
// the client goes away mid-stream, ffmpeg is killed (it would block on a full
// pipe) and still waited for.
func (t *Transcoder) StreamTo(ctx context.Context, src string, w io.Writer) error {
	cmd := exec.CommandContext(ctx, t.bin(), "-i", src, "-f", "mpegts", "pipe:1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	_, copyErr := io.Copy(w, stdout)
	if copyErr != nil {
		cmd.Process.Kill()
	}
	if err := cmd.Wait(); err != nil && copyErr == nil {
		return fmt.Errorf("ffmpeg %s: %w", src, err)
	}
	return copyErr
}

// ProbeOutput is Probe done right: Output collects stdout while it waits, and
// stderr goes to a buffer for the error message.
func ProbeOutput(ctx context.Context, ffprobe, path string) (*Info, error) {
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "error", "-print_format", "json", "-show_format", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w: %s", path, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var info Info
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	return &info, nil
}

// ThumbnailKilled is Thumbnail done right: on the timeout ffmpeg is killed
// and waited for (the receive from done) before Thumbnail returns.
func (t *Transcoder) ThumbnailKilled(src, dst string, d time.Duration) error {
	cmd := exec.Command(t.bin(), "-y", "-ss", "1", "-i", src, "-frames:v", "1", dst)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return ErrTimeout
	case err := <-done:
		if err != nil {
			return fmt.Errorf("ffmpeg thumbnail %s: %w", src, err)
		}
		return nil
	}
}

// RemuxMerged is Remux done right: stderr goes down the same pipe as
// stdout, so the scanner reads both as ffmpeg writes them.
func (t *Transcoder) RemuxMerged(src, dst string) error {
	cmd := exec.Command(t.bin(), "-y", "-i", src, "-c", "copy", dst)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		log.Printf("ffmpeg %s: %s", src, sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("ffmpeg remux %s: %w", src, err)
	}
	return sc.Err()
}
