//go:build ignore

// This file is added by the overlay of "lifeguard test" to package
// testing/internal, which holds the files of runtimecheck that do not
// import testing (github.com/lifeguard-go/lifeguard/runtimecheck, copied
// in by the overlay with internal/leakrecord); it exports to package
// testing the automatic check of runtimecheck's auto.go.
package runtimecheck

func LifeguardAutoMainStart(pkg string)                        { autoMainStart(pkg) }
func LifeguardAutoMainDone()                                   { autoMainDone() }
func LifeguardAutoTestStart(name string)                       { autoTestStart(name) }
func LifeguardAutoTestEnd(name string, parallel, checked bool) { autoTestEnd(name, parallel, checked) }
func LifeguardAutoExit(code int)                               { autoExit(code) }
func LifeguardAutoVerifiedMain()                               { autoVerifiedMain() }
