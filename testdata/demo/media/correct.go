package media

// The same jobs as the buggy functions in this package, done right. lifeguard
// reports nothing in this file.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
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
