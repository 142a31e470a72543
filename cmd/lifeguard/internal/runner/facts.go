package runner

import (
	"encoding/gob"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// An encodedFact is a fact as the cache keeps it: the analyzer that
// exported it, the object it is about as an object path in its package
// (none for a package fact), and the fact itself, gob-encoded.
type encodedFact struct {
	Analyzer string
	PkgPath  string
	ObjPath  string // "": a package fact
	Fact     analysis.Fact
}

var registered sync.Map // reflect.Type -> true

// registerFacts registers the fact types of the analyzers with gob, by
// their package path and name, which cannot collide.
func registerFacts(analyzers []*analysis.Analyzer) {
	for _, a := range requiredClosure(analyzers) {
		for _, f := range a.FactTypes {
			t := reflect.TypeOf(f)
			if _, done := registered.LoadOrStore(t, true); done {
				continue
			}
			func() {
				// A type that another driver in this process registered
				// already (unitchecker's facts) stays as it is.
				defer func() { _ = recover() }()
				elem := t
				for elem.Kind() == reflect.Pointer {
					elem = elem.Elem()
				}
				gob.RegisterName(t.String()+" "+elem.PkgPath(), f)
			}()
		}
	}
}

type objectFactKey struct {
	analyzer string
	obj      types.Object
	typ      reflect.Type
}

type packageFactKey struct {
	analyzer string
	pkg      *types.Package
	typ      reflect.Type
}

// A factStore is the facts one package's analysis sees: those of the
// packages below it, resolved to its own view of their types, and those
// its analyzers export.
type factStore struct {
	objects  map[objectFactKey]analysis.Fact
	packages map[packageFactKey]analysis.Fact
	own      []ownFact // exported by this package's analyzers, in order
}

type ownFact struct {
	analyzer string
	obj      types.Object // nil: a package fact
	fact     analysis.Fact
}

// newFactStore gathers the facts of the packages n imports, directly or
// not, as analysis/checker passes them on: a direct import's facts about
// every object in its export data, and from further down only those about
// methods, fields, types and constants, since the checker re-exports a
// fact only about an object of the package it passes through or one an
// importer can reach through any package (inheritFacts, exportedFrom).
// Package facts pass unchanged. imported maps package paths to the types
// n's type-checking read.
func newFactStore(n *node, imported func(path string) *types.Package) *factStore {
	fs := &factStore{
		objects:  make(map[objectFactKey]analysis.Fact),
		packages: make(map[packageFactKey]analysis.Fact),
	}
	for _, dep := range n.below() {
		fs.add(dep, n.direct[dep], imported)
	}
	return fs
}

func (fs *factStore) add(dep *node, direct bool, imported func(path string) *types.Package) {
	for _, f := range dep.facts.Facts {
		pkg := imported(f.PkgPath)
		if pkg == nil {
			continue // no type of n refers to the package
		}
		t := reflect.TypeOf(f.Fact)
		if f.ObjPath == "" {
			fs.packages[packageFactKey{f.Analyzer, pkg, t}] = f.Fact
			continue
		}
		obj, err := objectpath.Object(pkg, objectpath.Path(f.ObjPath))
		if err != nil || !passedOn(obj, direct) {
			continue
		}
		fs.objects[objectFactKey{f.Analyzer, obj, t}] = f.Fact
	}
}

// passedOn reports whether analysis/checker makes a fact about obj, of a
// package imported directly or not, visible to the importer.
func passedOn(obj types.Object, direct bool) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Signature().Recv() != nil || direct && obj.Exported()
	case *types.Var:
		return obj.IsField() || direct
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}

// encode returns the facts exported by this package's analyzers that its
// importers can name.
func (fs *factStore) encode(pkg *types.Package) []encodedFact {
	var list []encodedFact
	for _, f := range fs.own {
		if f.obj == nil {
			list = append(list, encodedFact{Analyzer: f.analyzer, PkgPath: pkg.Path(), Fact: f.fact})
			continue
		}
		path, err := objectpath.For(f.obj)
		if err != nil {
			continue // a local object: no importer can refer to it
		}
		list = append(list, encodedFact{Analyzer: f.analyzer, PkgPath: pkg.Path(), ObjPath: string(path), Fact: f.fact})
	}
	return list
}

// The pass functions, for analyzer a on package pkg.

func (fs *factStore) importObject(a *analysis.Analyzer, obj types.Object, ptr analysis.Fact) bool {
	if obj == nil {
		panic("nil object")
	}
	f, ok := fs.objects[objectFactKey{a.Name, obj, reflect.TypeOf(ptr)}]
	if ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
	}
	return ok
}

func (fs *factStore) exportObject(a *analysis.Analyzer, pkg *types.Package, obj types.Object, fact analysis.Fact) {
	if obj.Pkg() != pkg {
		panic("internal error: in analysis " + a.Name + " of package " + pkg.Path() + ": Fact.Set(" + obj.String() + "): can't set facts on objects belonging another package")
	}
	key := objectFactKey{a.Name, obj, reflect.TypeOf(fact)}
	if _, dup := fs.objects[key]; !dup {
		fs.own = append(fs.own, ownFact{a.Name, obj, fact})
	} else {
		fs.replaceOwn(a.Name, obj, fact)
	}
	fs.objects[key] = fact
}

func (fs *factStore) importPackage(a *analysis.Analyzer, pkg *types.Package, ptr analysis.Fact) bool {
	if pkg == nil {
		panic("nil package")
	}
	f, ok := fs.packages[packageFactKey{a.Name, pkg, reflect.TypeOf(ptr)}]
	if ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
	}
	return ok
}

func (fs *factStore) exportPackage(a *analysis.Analyzer, pkg *types.Package, fact analysis.Fact) {
	key := packageFactKey{a.Name, pkg, reflect.TypeOf(fact)}
	if _, dup := fs.packages[key]; !dup {
		fs.own = append(fs.own, ownFact{a.Name, nil, fact})
	} else {
		fs.replaceOwn(a.Name, nil, fact)
	}
	fs.packages[key] = fact
}

// replaceOwn replaces a fact exported again for the same object and type.
func (fs *factStore) replaceOwn(analyzer string, obj types.Object, fact analysis.Fact) {
	for i, f := range fs.own {
		if f.analyzer == analyzer && f.obj == obj && reflect.TypeOf(f.fact) == reflect.TypeOf(fact) {
			fs.own[i].fact = fact
			return
		}
	}
}

func (fs *factStore) allObjects(a *analysis.Analyzer) []analysis.ObjectFact {
	var list []analysis.ObjectFact
	for k, f := range fs.objects {
		if k.analyzer == a.Name && isFactType(a, k.typ) {
			list = append(list, analysis.ObjectFact{Object: k.obj, Fact: f})
		}
	}
	return list
}

func (fs *factStore) allPackages(a *analysis.Analyzer) []analysis.PackageFact {
	var list []analysis.PackageFact
	for k, f := range fs.packages {
		if k.analyzer == a.Name && isFactType(a, k.typ) {
			list = append(list, analysis.PackageFact{Package: k.pkg, Fact: f})
		}
	}
	return list
}

func isFactType(a *analysis.Analyzer, t reflect.Type) bool {
	for _, f := range a.FactTypes {
		if reflect.TypeOf(f) == t {
			return true
		}
	}
	return false
}
