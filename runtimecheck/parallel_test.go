package runtimecheck

import "testing"

func TestIsParallel(t *testing.T) {
	t.Run("sequential", func(t *testing.T) {
		p, ok := parallelByFields(t)
		if !ok {
			t.Fatal("testing's isParallel/parent fields are gone: runtimecheck falls back on t.Setenv")
		}
		if p || isParallel(t) {
			t.Error("a sequential test is said parallel")
		}
		if parallelBySetenv(t) {
			t.Error("Setenv probe: a sequential test is said parallel")
		}
	})
	t.Run("group", func(t *testing.T) {
		t.Run("parallel", func(t *testing.T) {
			t.Parallel()
			if p, ok := parallelByFields(t); !ok || !p {
				t.Errorf("parallelByFields = %v, %v; want true, true", p, ok)
			}
			if !parallelBySetenv(t) {
				t.Error("Setenv probe: a parallel test is said sequential")
			}
		})
		t.Run("parent", func(t *testing.T) {
			t.Parallel()
			t.Run("child", func(t *testing.T) {
				if p, ok := parallelByFields(t); !ok || !p {
					t.Errorf("parallelByFields = %v, %v for the child of a parallel test; want true, true", p, ok)
				}
				if !parallelBySetenv(t) {
					t.Error("Setenv probe: the child of a parallel test is said sequential")
				}
			})
		})
	})
	t.Run("not a *testing.T", func(t *testing.T) {
		if _, ok := parallelByFields(newRecTB(t, "x")); ok {
			t.Error("parallelByFields read a wrapper")
		}
		if isParallel(newRecTB(t, "x")) {
			t.Error("a wrapper of a sequential test is said parallel")
		}
	})
}

func TestBlame(t *testing.T) {
	mine := Leak{Kind: KindPipe, Desc: "a", Origin: &Origin{Test: "TestA"}}
	theirs := Leak{Kind: KindPipe, Desc: "b", Origin: &Origin{Test: "TestB"}}
	unknown := Leak{Kind: KindPipe, Desc: "c"}
	all := []Leak{mine, theirs, unknown}
	if b, o := blame("TestA", all, false); len(b) != 3 || len(o) != 0 {
		t.Errorf("sequential: blamed %d, others %d; want 3, 0", len(b), len(o))
	}
	b, o := blame("TestA/sub", all, true)
	if len(b) != 1 || b[0].Desc != "a" || len(o) != 2 {
		t.Errorf("parallel: blamed %v, others %v; want only a blamed", b, o)
	}
}
