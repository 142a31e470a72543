package facts

import "fmt"

// CancelFact is defercancel's fact: the function's results at the set bits
// are the cancel functions of contexts it makes itself (with a
// context.With* call or another such function), so each call makes a new
// context.
type CancelFact struct{ Results uint64 }

func (*CancelFact) AFact() {}

func (f *CancelFact) String() string {
	s := "returnsCancel("
	for i := 0; i < 64; i++ {
		if f.Results&(1<<i) != 0 {
			if s[len(s)-1] != '(' {
				s += " "
			}
			s += fmt.Sprint(i)
		}
	}
	return s + ")"
}
