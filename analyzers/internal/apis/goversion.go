package apis

import (
	"go/token"
	"go/version"

	"golang.org/x/tools/go/analysis"
)

// AllowsWithoutCancel reports whether the file of pass at pos may use
// context.WithoutCancel, new in Go 1.21: the file's Go version (a
// //go:build line can raise it above the module's), else the package's.
// An unknown version (GOPATH mode, no go.mod) allows it: the toolchain
// running the analysis has it.
func AllowsWithoutCancel(pass *analysis.Pass, pos token.Pos) bool {
	v := pass.Pkg.GoVersion()
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			if fv := pass.TypesInfo.FileVersions[f]; fv != "" {
				v = fv
			}
		}
	}
	return v == "" || !version.IsValid(v) || version.Compare(v, "go1.21") >= 0
}
