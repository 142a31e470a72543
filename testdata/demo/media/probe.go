package media

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
)

// Info is the part of ffprobe's JSON output the service uses.
type Info struct {
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
		Size     string `json:"size"`
	} `json:"format"`
}

// Probe runs ffprobe on path.
func Probe(ctx context.Context, ffprobe, path string) (*Info, error) {
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "quiet", "-print_format", "json", "-show_format", path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// BUG pipedrain (Wait before the reads complete): "wait for ffprobe to
	// finish, then parse its output". Wait closes stdout once ffprobe exits,
	// so the decode below reads a closed pipe, and a large document would
	// never let ffprobe exit at all. Fix: decode first, then Wait.
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	var info Info
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	return &info, nil
}
