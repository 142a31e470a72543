package fixes

import (
	. "context"
	"time"
)

// A dot import: the fix names WithoutCancel unqualified.
func dotted(ctx Context) {
	defer func() {
		c, cancel := WithTimeout(ctx, time.Second) // want `derives from ctx`
		defer cancel()
		_ = release(c)
	}()
}
