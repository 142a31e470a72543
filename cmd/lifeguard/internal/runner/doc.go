// Package runner analyzes packages one at a time, dependencies first, and
// keeps what it learns of each in lifeguard's result cache.
//
// A run lists the packages with the go command, cheaply (no compilation),
// and gives each a key: the hash of its files' contents, its identity, its
// module's Go version, the build configuration, the analyzers and their
// flags, the binary, and the keys of the packages it imports. When every
// package the run was asked about has its findings cached under its key,
// that is the run: nothing is parsed or type-checked.
//
// Otherwise the packages that lack an entry are analyzed in dependency
// order: those asked about, with every analyzer, and the dependencies whose
// facts are not cached, with the analyzers that produce facts (as
// go/analysis/checker does). Each is parsed and type-checked from source
// with its imports read from the go command's export data (go list
// -export, which the build cache serves), so that only one package's
// syntax, types and SSA are in memory per worker, and is released once its
// facts and findings are encoded. The facts of a package's dependencies
// come from this run or from the cache, and are visible to it exactly as
// analysis/checker makes them visible: every fact of a direct import's
// objects in its export data, and of the packages further down only those
// the checker passes on (methods, fields, types, constants).
//
// The cache never serves a stale result: a key covers everything the
// analysis of the package reads, and an entry that is incomplete or fails
// its checksum (a run killed half-way, two runs writing at once) is a miss.
package runner
