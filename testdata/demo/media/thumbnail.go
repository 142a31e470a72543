package media

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"os/exec"
	"time"
)

// ErrTimeout is returned when ffmpeg takes longer than it was given.
var ErrTimeout = errors.New("ffmpeg timed out")

// Thumbnail renders the frame of src at second 1 to dst, giving ffmpeg at
// most d.
func (t *Transcoder) Thumbnail(src, dst string, d time.Duration) error {
	cmd := exec.Command(t.bin(), "-y", "-ss", "1", "-i", src, "-frames:v", "1", dst)
	done := make(chan error, 1)
	// BUG cmdwait (child abandoned on a timeout): on the timeout Thumbnail
	// returns and ffmpeg runs on, unbounded, stuck on a bad input; the
	// goroutine waits for it forever. Fix: start it, and on the timeout
	// cmd.Process.Kill() and then receive from done.
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return ErrTimeout
	case err := <-done:
		if err != nil {
			return fmt.Errorf("ffmpeg thumbnail %s: %w", src, err)
		}
		return nil
	}
}

// Remux copies the streams of src into dst unchanged, logging each line
// ffmpeg writes.
func (t *Transcoder) Remux(src, dst string) error {
	cmd := exec.Command(t.bin(), "-y", "-i", src, "-c", "copy", dst)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	// BUG pipedrain (io.MultiReader of stdout and stderr): MultiReader reads
	// stdout to EOF before the first byte of stderr, where ffmpeg writes
	// its progress. Once 64 KiB of progress is waiting, ffmpeg blocks, never
	// closes stdout, and the scanner waits forever. Fix: cmd.Stderr =
	// cmd.Stdout after StdoutPipe, so both go down one pipe.
	sc := bufio.NewScanner(io.MultiReader(stdout, stderr))
	for sc.Scan() {
		log.Printf("ffmpeg %s: %s", src, sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("ffmpeg remux %s: %w", src, err)
	}
	return sc.Err()
}
