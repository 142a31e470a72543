package a

import (
	"context"
	"testing"
)

// Tests root their work where they like.
func helperInTestFile(ctx context.Context) {
	work(context.Background())
}

func TestX(t *testing.T) {
	helperInTestFile(context.Background())
}
