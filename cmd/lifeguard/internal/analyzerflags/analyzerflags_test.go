package analyzerflags

import (
	"slices"
	"testing"
)

func TestVetArgs(t *testing.T) {
	all := Offered()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-json", "x.cfg"}, []string{"-SA1012=false", "-SA1029=false", "-SA2000=false", "-SA2002=false", "-SA1015=false", "-json", "x.cfg"}},
		{[]string{"-staticcheck", "x.cfg"}, []string{"x.cfg"}},
		{[]string{"-staticcheck=false", "-SA2000", "x.cfg"}, []string{"-SA1012=false", "-SA1029=false", "-SA2002=false", "-SA1015=false", "-SA2000", "x.cfg"}},
		{[]string{"-V=full"}, []string{"-SA1012=false", "-SA1029=false", "-SA2000=false", "-SA2002=false", "-SA1015=false", "-V=full"}},
	} {
		if got := VetArgs(tc.args, all); !slices.Equal(got, tc.want) {
			t.Errorf("VetArgs(%q) = %q; want %q", tc.args, got, tc.want)
		}
	}
}
