package media_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"example.com/demo/internal/faketool"
	"example.com/demo/media"
)

// deadline bounds the tests whose bug is a deadlock: the context kills the
// stuck child, so the test ends with an error instead of hanging.
const deadline = 300 * time.Millisecond

// Transcode's error path leaves the started ffmpeg unreaped (cmdwait).
func TestTranscodePidFileErrorLeavesChild(t *testing.T) {
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "exit 0")}
	dst := filepath.Join(t.TempDir(), "missing-dir", "out.mp4")
	err := tr.Transcode(t.Context(), "in.mov", dst)
	if err == nil {
		t.Fatal("Transcode succeeded writing a pid file into a missing directory")
	}
	t.Logf("Transcode: %v (the fake ffmpeg is now a zombie)", err)
}

// Record reaps ffmpeg with Process.Wait, so the stderr copy goroutine and the
// context watcher outlive it (cmdwait).
func TestRecordProcessWait(t *testing.T) {
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "echo 'frame=1' >&2")}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if err := tr.Record(ctx, "rtsp://camera/1", filepath.Join(t.TempDir(), "out.ts"), time.Second); err != nil {
		t.Fatal(err)
	}
}

// ExtractAudio never reads the stdout pipe it takes: an ffmpeg that writes
// more than 64 KiB blocks until the deadline kills it (pipedrain).
func TestExtractAudioBlocksOnFullPipe(t *testing.T) {
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "exec yes 'frame=1 fps=25'")}
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	start := time.Now()
	err := tr.ExtractAudio(ctx, "in.mov", filepath.Join(t.TempDir(), "out.aac"))
	if err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("ExtractAudio = %v after %v; want the deadline to kill a blocked ffmpeg", err, time.Since(start))
	}
	t.Logf("ExtractAudio: %v after %v", err, time.Since(start).Round(time.Millisecond))
}

// Probe waits before it reads, so it reads a pipe Wait already closed
// (pipedrain).
func TestProbeReadsAfterWait(t *testing.T) {
	ffprobe := faketool.Script(t, "ffprobe", `echo '{"format": {"format_name": "mov", "duration": "1.5"}}'`)
	info, err := media.Probe(t.Context(), ffprobe, "in.mov")
	if err == nil {
		t.Fatalf("Probe = %+v; want an error reading the closed pipe", info)
	}
	t.Logf("Probe: %v", err)

	info, err = media.ProbeOutput(t.Context(), ffprobe, "in.mov")
	if err != nil || info.Format.Duration != "1.5" {
		t.Fatalf("ProbeOutput = %+v, %v; want duration 1.5", info, err)
	}
}

// StreamTo reads the whole stream before it waits.
func TestStreamTo(t *testing.T) {
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "exec head -c 200000 /dev/zero")}
	var out bytes.Buffer
	if err := tr.StreamTo(t.Context(), "in.mov", &out); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 200000 {
		t.Fatalf("StreamTo copied %d bytes, want 200000", out.Len())
	}
}
