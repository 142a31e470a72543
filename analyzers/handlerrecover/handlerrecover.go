package handlerrecover

import "golang.org/x/tools/go/analysis"

var Analyzer = &analysis.Analyzer{
	Name: "handlerrecover",
	Doc:  "report goroutines started from HTTP handlers without a deferred recover",
	URL:  "https://github.com/lifeguard-go/lifeguard/blob/main/docs/handlerrecover.md",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
