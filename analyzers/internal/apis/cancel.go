package apis

import "go/types"

// IsCancelFunc reports whether t is context.CancelFunc or
// context.CancelCauseFunc.
func IsCancelFunc(t types.Type) bool {
	return IsNamed(t, "context", "CancelFunc") || IsNamed(t, "context", "CancelCauseFunc")
}
