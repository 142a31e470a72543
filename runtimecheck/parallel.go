package runtimecheck

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// isParallel reports whether t, or one of its parents, called t.Parallel:
// then other tests may run at the same time and what appeared while t ran
// is not t's doing. testing has no API for it; runtimecheck reads testing's
// own fields, and when a Go release renames them it asks t.Setenv, which
// refuses in exactly that case.
func isParallel(t testing.TB) bool {
	if p, ok := parallelByFields(t); ok {
		return p
	}
	return parallelBySetenv(t)
}

// parallelByFields walks testing.common's isParallel and parent fields;
// ok is false when t is not a *testing.T or the fields are not there.
func parallelByFields(t testing.TB) (parallel, ok bool) {
	tt, isT := t.(*testing.T)
	if !isT || tt == nil {
		return false, false
	}
	c := reflect.ValueOf(tt).Elem().FieldByName("common")
	for c.IsValid() && c.Kind() == reflect.Struct {
		p := c.FieldByName("isParallel")
		parent := c.FieldByName("parent")
		if p.Kind() != reflect.Bool || parent.Kind() != reflect.Pointer {
			return false, false
		}
		if p.Bool() {
			return true, true
		}
		if parent.IsNil() {
			return false, true
		}
		c = parent.Elem()
	}
	return false, false
}

const probeEnv = "LIFEGUARD_RUNTIMECHECK_PARALLEL_PROBE"

// parallelBySetenv sets a variable to the value it has: t.Setenv panics,
// before changing anything, when t or a parent is parallel.
func parallelBySetenv(t testing.TB) (parallel bool) {
	defer func() {
		if r := recover(); r != nil {
			if s, ok := r.(string); ok && strings.Contains(s, "Parallel") {
				parallel = true
				return
			}
			panic(r)
		}
	}()
	v, _ := os.LookupEnv(probeEnv)
	t.Setenv(probeEnv, v)
	return false
}
