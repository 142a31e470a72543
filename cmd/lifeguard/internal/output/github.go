package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/findings"
	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/positions"
)

func init() {
	register("github", func(o Options) Format { return githubFormat{maxAnnotations: o.MaxAnnotations} })
}

// githubFormat prints GitHub Actions workflow commands, which the runner
// turns into annotations on the run and on the pull request's diff:
//
//	::warning file=F,line=L,col=C,endLine=L,endColumn=C,title=lifeguard/ANALYZER::MESSAGE
//
// with file names relative to the repository root, columns in characters
// from 1 and an inclusive endColumn, and related information as further
// lines of the message. The Checks API that annotations end in
// takes columns only for a range on one line; a range over several lines
// gets line and endLine alone.
//
// GitHub shows at most 10 warning annotations per step and 50 per job
// (actions/toolkit#734) and silently drops the rest, so it annotates the
// first -max-annotations findings (10 by default: lifeguard is one step),
// prints the others as plain log lines ("file:line:col: message
// (analyzer)", file names relative to the root), and ends with one notice
// saying how many were not annotated. When $GITHUB_STEP_SUMMARY is set it
// appends a Markdown table of every finding to that file, which GitHub
// shows on the run's summary page. Findings make the exit status 1, so the
// step fails.
type githubFormat struct {
	maxAnnotations int // 0: no limit
}

// DefaultMaxAnnotations is GitHub's limit of warning annotations per step.
const DefaultMaxAnnotations = 10

// maxSummaryRows bounds the step summary table: GitHub takes at most 1 MiB
// of summary per step.
const maxSummaryRows = 1000

func (githubFormat) FindingsAreFailure() bool { return true }

func (g githubFormat) Write(w io.Writer, rep *findings.Report) error {
	text := positions.NewColumns()
	bw := bufio.NewWriter(w)
	limit := g.maxAnnotations
	annotated := 0
	for _, f := range rep.Findings {
		if limit > 0 && annotated == limit {
			fmt.Fprintf(bw, "%s: %s (%s)\n", rep.RepoPosition(f.Posn), f.Message, f.Analyzer.Name)
			for _, r := range f.Related {
				fmt.Fprintf(bw, "\t%s: %s\n", rep.RepoPosition(r.Posn), r.Message)
			}
			continue
		}
		annotated++
		props := []string{"file=" + escapeProperty(rep.RepoFile(f.Posn.Filename)), "line=" + strconv.Itoa(f.Posn.Line)}
		col := text.Column(f.Posn)
		switch end := f.End; {
		case end.Line == f.Posn.Line && end.Column > f.Posn.Column:
			endCol := max(text.Column(end)-1, col) // the last character, not the one after
			props = append(props, "col="+strconv.Itoa(col), "endLine="+strconv.Itoa(end.Line), "endColumn="+strconv.Itoa(endCol))
		case end.Line > f.Posn.Line:
			props = append(props, "endLine="+strconv.Itoa(end.Line))
		default:
			props = append(props, "col="+strconv.Itoa(col))
		}
		props = append(props, "title="+escapeProperty("lifeguard/"+f.Analyzer.Name))
		msg := messageWithRelated(rep, f)
		fmt.Fprintf(bw, "::warning %s::%s\n", strings.Join(props, ","), escapeData(msg))
	}
	if left := len(rep.Findings) - annotated; left > 0 {
		fmt.Fprintf(bw, "::notice title=lifeguard::%s\n", escapeData(fmt.Sprintf(
			"%s not annotated (-max-annotations=%d; GitHub shows 10 warning annotations per step): they are printed above as plain lines%s",
			Plural(left, "finding", "findings"), limit, summaryMention())))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if name := os.Getenv("GITHUB_STEP_SUMMARY"); name != "" {
		if err := appendStepSummary(name, rep); err != nil {
			return fmt.Errorf("$GITHUB_STEP_SUMMARY: %v", err)
		}
	}
	return nil
}

func summaryMention() string {
	if os.Getenv("GITHUB_STEP_SUMMARY") != "" {
		return " and listed in the step summary"
	}
	return ""
}

// escapeData escapes the message of a workflow command: the runner decodes
// %25, %0D and %0A; anything else is taken as it is.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value of a workflow command, where :
// and , end the value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// appendStepSummary appends a Markdown summary of rep to the file name.
func appendStepSummary(name string, rep *findings.Report) error {
	var b bytes.Buffer
	b.WriteString("### lifeguard\n\n")
	switch n := len(rep.Findings); {
	case n == 0:
		b.WriteString("No findings.")
	default:
		b.WriteString(Plural(n, "finding", "findings") + ".")
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintf(&b, " **%s**: what they concern was not analyzed; see the step's log.", Plural(len(rep.Errors), "error", "errors"))
	}
	b.WriteString("\n\n")

	if len(rep.Findings) > 0 {
		b.WriteString("| Location | Analyzer | Finding |\n| --- | --- | --- |\n")
		blob := blobURL()
		for i, f := range rep.Findings {
			if i == maxSummaryRows {
				fmt.Fprintf(&b, "\n%s more not shown here; see the step's log.\n", Plural(len(rep.Findings)-i, "finding", "findings"))
				break
			}
			where := markdownEscape(rep.RepoPosition(f.Posn))
			if rel, ok := rep.Root.Rel(f.Posn.Filename); ok && blob != "" {
				where = "[" + where + "](" + blob + pathEscape(rel) + "#L" + strconv.Itoa(f.Posn.Line) + ")"
			}
			analyzer := markdownEscape(f.Analyzer.Name)
			if u := f.Analyzer.URL; u != "" {
				analyzer = "[" + analyzer + "](" + u + ")"
			}
			msg := markdownEscape(f.Message)
			for _, r := range f.Related {
				msg += "<br>" + markdownEscape(rep.RepoPosition(r.Posn)+": "+r.Message)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", where, analyzer, msg)
		}
		b.WriteString("\n")
	}

	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// blobURL returns the URL prefix of the files of the commit being checked,
// "https://github.com/OWNER/REPO/blob/SHA/", from the variables GitHub
// Actions sets, or "" outside it.
func blobURL() string {
	server, repo, sha := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_SHA")
	if server == "" || repo == "" || sha == "" {
		return ""
	}
	return strings.TrimSuffix(server, "/") + "/" + repo + "/blob/" + sha + "/"
}

// pathEscape escapes each segment of a slash-separated path for a URL.
func pathEscape(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// markdownEscape escapes the characters that Markdown (and the HTML it
// allows) would interpret in a table cell: messages name things like
// (*Server).handleUpload and <-ch.
func markdownEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			b.WriteString("&amp;")
		case '\n', '\r':
			b.WriteString("<br>")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
