package media_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"example.com/demo/internal/faketool"
	"example.com/demo/media"
	"github.com/lifeguard-go/lifeguard/runtimecheck"
)

// blocked is how long a test waits to see a call stuck for good.
const blocked = 300 * time.Millisecond

// The tests whose bug leaves a child or a pipe behind call
// runtimecheck.Check, which fails them with the leaks; under lifeguard test
// each leak names the line that made it and confirms the finding there.

// Transcode's error path leaves the started ffmpeg unreaped (cmdwait).
func TestTranscodePidFileErrorLeavesChild(t *testing.T) {
	runtimecheck.Check(t)
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
// more than 64 KiB blocks, and ExtractAudio with it, for good (pipedrain).
// The pipe and ffmpeg stay until the test binary exits.
func TestExtractAudioBlocksOnFullPipe(t *testing.T) {
	runtimecheck.Check(t)
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "exec head -c 200000 /dev/zero")}
	dst := filepath.Join(t.TempDir(), "out.aac")
	done := make(chan error, 1)
	go func() { done <- tr.ExtractAudio(context.Background(), "in.mov", dst) }()
	select {
	case err := <-done:
		t.Fatalf("ExtractAudio = %v; want it blocked on the full pipe", err)
	case <-time.After(blocked):
		t.Logf("ExtractAudio still blocked after %v: ffmpeg waits for a reader of its stdout", blocked)
	}
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

// Probe waits before it reads, so an ffprobe whose output is larger than the
// pipe's 64 KiB never exits, and Probe never returns (pipedrain).
func TestProbeLargeOutputNeverReturns(t *testing.T) {
	runtimecheck.Check(t)
	ffprobe := faketool.Script(t, "ffprobe", "exec head -c 100000 /dev/zero")
	done := make(chan error, 1)
	go func() {
		_, err := media.Probe(context.Background(), ffprobe, "in.mov")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Probe = %v; want it blocked in Wait", err)
	case <-time.After(blocked):
		t.Logf("Probe still blocked after %v: ffprobe waits for a reader, Probe for ffprobe", blocked)
	}
}

// StreamTo reads the whole stream before it waits.
func TestStreamTo(t *testing.T) {
	runtimecheck.Check(t)
	tr := media.Transcoder{FFmpeg: faketool.Script(t, "ffmpeg", "exec head -c 200000 /dev/zero")}
	var out bytes.Buffer
	if err := tr.StreamTo(t.Context(), "in.mov", &out); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 200000 {
		t.Fatalf("StreamTo copied %d bytes, want 200000", out.Len())
	}
}

// Hook.Run's timeout kills sh alone (cmdcancel): the upload the script put
// in the background runs on after Run returns. (It closes its output, so
// Run does return at the timeout; a job that kept it would hold Run until
// it ended.) Under lifeguard test the running job is reported as an
// orphaned descendant, made at the hook's CommandContext line.
func TestHookTimeoutLeavesUpload(t *testing.T) {
	h := media.Hook{Script: `sleep 3 >/dev/null 2>&1 & echo "uploading $1"; wait`, Timeout: 100 * time.Millisecond}
	start := time.Now()
	out, err := h.Run(t.Context(), "out.mp4")
	if err == nil {
		t.Fatal("the hook finished within its timeout")
	}
	t.Logf("Run returned after %v: %v (%q); the background upload runs on", time.Since(start).Round(10*time.Millisecond), err, out)
}
