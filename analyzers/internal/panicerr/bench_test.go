package panicerr

import "testing"

// deep calls f n frames further down the stack.
func deep(n int, f func()) {
	if n == 0 {
		f()
		return
	}
	deep(n-1, f)
}

// BenchmarkCatchNoPanic is what every analysis of every package pays for
// being guarded: Catch without a panic, 30 frames down.
func BenchmarkCatchNoPanic(b *testing.B) {
	deep(30, func() {
		for i := 0; i < b.N; i++ {
			func() (err error) {
				defer Catch(&err, "x")()
				return nil
			}()
		}
	})
}
