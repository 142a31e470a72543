package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/baseline"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

func init() { register("gitlab", func(Options) Format { return gitlabFormat{} }) }

// gitlabFormat prints a GitLab code-quality report, the Code Climate issue
// format that GitLab reads from a job's artifacts:reports:codequality file
// and shows in merge requests and on the pipeline:
//
//	[{"description": "...", "check_name": "lifeguard/cmdwait",
//	  "fingerprint": "9f2c...", "severity": "major",
//	  "location": {"path": "media/transcode.go",
//	               "positions": {"begin": {"line": 39, "column": 12}, "end": {...}}}}]
//
// Paths are relative to the repository root. The location is
// given as positions, not lines: the Code Climate spec allows one of the
// two, GitLab reads either, and positions carry the columns, in characters
// from 1. GitLab tells new findings from old ones by the
// fingerprint, so it is the baseline's fingerprint (package baseline), which
// survives unrelated edits, hashed, with the finding's rank among those
// sharing it in the file order: each finding has its own. Like -json, it
// leaves the decision to the consumer: findings do not change the exit
// status.
type gitlabFormat struct{}

func (gitlabFormat) FindingsAreFailure() bool { return false }

type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Categories  []string       `json:"categories"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path      string          `json:"path"`
	Positions gitlabPositions `json:"positions"`
}

type gitlabPositions struct {
	Begin gitlabPosition `json:"begin"`
	End   gitlabPosition `json:"end"`
}

type gitlabPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func (gitlabFormat) Write(w io.Writer, rep *findings.Report) error {
	text := positions.NewColumns()
	issues := []gitlabIssue{} // [] when clean: GitLab wants an array
	seen := make(map[string]int)
	for _, f := range rep.Findings {
		key := baseline.Fingerprint(rep, f).Key()
		rank := seen[key]
		seen[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(rank)))

		msg := messageWithRelated(rep, f)
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   "lifeguard/" + f.Analyzer.Name,
			Description: msg,
			Categories:  []string{"Bug Risk"},
			Fingerprint: hex.EncodeToString(sum[:]),
			// major: GitLab's scale is info, minor, major, critical,
			// blocker; a leak or a lost cancellation is a bug that
			// does not break the build.
			Severity: "major",
			Location: gitlabLocation{
				Path: rep.RepoFile(f.Posn.Filename),
				Positions: gitlabPositions{
					Begin: gitlabPosition{Line: f.Posn.Line, Column: text.Column(f.Posn)},
					End:   gitlabPosition{Line: max(f.End.Line, f.Posn.Line), Column: text.Column(f.End)},
				},
			},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
