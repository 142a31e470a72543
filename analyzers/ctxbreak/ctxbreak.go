package ctxbreak

import "golang.org/x/tools/go/analysis"

var Analyzer = &analysis.Analyzer{
	Name: "ctxbreak",
	Doc:  "report work rooted in context.Background or TODO where a caller or request context exists",
	URL:  "https://github.com/lifeguard-go/lifeguard/blob/main/docs/ctxbreak.md",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
