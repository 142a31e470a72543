package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
)

func init() { registerFormat("github", githubFormat{}) }

// githubFormat prints GitHub Actions workflow commands, which the runner
// turns into annotations on the run and on the pull request's diff:
//
//	::warning file=F,line=L,col=C,endLine=L,endColumn=C,title=lifeguard/ANALYZER::MESSAGE
//
// with file names relative to the repository root (reporoot.go), columns
// in characters from 1 and an inclusive endColumn, and related information
// as further lines of the message. The Checks API that annotations end in
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
type githubFormat struct{}

// defaultMaxAnnotations is GitHub's limit of warning annotations per step.
const defaultMaxAnnotations = 10

// maxSummaryRows bounds the step summary table: GitHub takes at most 1 MiB
// of summary per step.
const maxSummaryRows = 1000

func (githubFormat) findingsAreFailure() bool { return true }

func (githubFormat) write(w io.Writer, rep *report) error {
	text := newSourceText()
	bw := bufio.NewWriter(w)
	limit := rep.maxAnnotations
	annotated := 0
	for _, f := range rep.findings {
		if limit > 0 && annotated == limit {
			fmt.Fprintf(bw, "%s: %s (%s)\n", rep.repoPosition(f.posn), f.message, f.analyzer.Name)
			for _, r := range f.related {
				fmt.Fprintf(bw, "\t%s: %s\n", rep.repoPosition(r.posn), r.message)
			}
			continue
		}
		annotated++
		props := []string{"file=" + escapeProperty(rep.repoFile(f.posn.Filename)), "line=" + strconv.Itoa(f.posn.Line)}
		col := text.column(f.posn)
		switch end := f.end; {
		case end.Line == f.posn.Line && end.Column > f.posn.Column:
			endCol := max(text.column(end)-1, col) // the last character, not the one after
			props = append(props, "col="+strconv.Itoa(col), "endLine="+strconv.Itoa(end.Line), "endColumn="+strconv.Itoa(endCol))
		case end.Line > f.posn.Line:
			props = append(props, "endLine="+strconv.Itoa(end.Line))
		default:
			props = append(props, "col="+strconv.Itoa(col))
		}
		props = append(props, "title="+escapeProperty("lifeguard/"+f.analyzer.Name))
		msg := f.message
		for _, r := range f.related {
			msg += "\n" + rep.repoPosition(r.posn) + ": " + r.message
		}
		fmt.Fprintf(bw, "::warning %s::%s\n", strings.Join(props, ","), escapeData(msg))
	}
	if left := len(rep.findings) - annotated; left > 0 {
		fmt.Fprintf(bw, "::notice title=lifeguard::%s\n", escapeData(fmt.Sprintf(
			"%s not annotated (-max-annotations=%d; GitHub shows 10 warning annotations per step): they are printed above as plain lines%s",
			plural(left, "finding", "findings"), limit, summaryMention())))
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

// repoPosition formats posn as file:line:col with the file relative to the
// repository root.
func (rep *report) repoPosition(posn token.Position) string {
	posn.Filename = rep.repoFile(posn.Filename)
	return posn.String()
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
func appendStepSummary(name string, rep *report) error {
	var b bytes.Buffer
	b.WriteString("### lifeguard\n\n")
	switch n := len(rep.findings); {
	case n == 0:
		b.WriteString("No findings.")
	default:
		b.WriteString(plural(n, "finding", "findings") + ".")
	}
	if len(rep.errors) > 0 {
		fmt.Fprintf(&b, " **%s**: what they concern was not analyzed; see the step's log.", plural(len(rep.errors), "error", "errors"))
	}
	b.WriteString("\n\n")

	if len(rep.findings) > 0 {
		b.WriteString("| Location | Analyzer | Finding |\n| --- | --- | --- |\n")
		blob := blobURL()
		for i, f := range rep.findings {
			if i == maxSummaryRows {
				fmt.Fprintf(&b, "\n%s more not shown here; see the step's log.\n", plural(len(rep.findings)-i, "finding", "findings"))
				break
			}
			where := markdownEscape(rep.repoPosition(f.posn))
			if rel, ok := rep.root.rel(f.posn.Filename); ok && blob != "" {
				where = "[" + where + "](" + blob + pathEscape(rel) + "#L" + strconv.Itoa(f.posn.Line) + ")"
			}
			analyzer := markdownEscape(f.analyzer.Name)
			if u := f.analyzer.URL; u != "" {
				analyzer = "[" + analyzer + "](" + u + ")"
			}
			msg := markdownEscape(f.message)
			for _, r := range f.related {
				msg += "<br>" + markdownEscape(rep.repoPosition(r.posn)+": "+r.message)
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
