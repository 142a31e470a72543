package defercancel

import "golang.org/x/tools/go/analysis"

var Analyzer = &analysis.Analyzer{
	Name: "defercancel",
	Doc:  "report contexts created inside deferred functions and defer cancel() piling up in loops",
	URL:  "https://github.com/lifeguard-go/lifeguard/blob/main/docs/defercancel.md",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
