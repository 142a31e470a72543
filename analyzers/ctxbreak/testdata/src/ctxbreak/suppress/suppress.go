package suppress

import "context"

func work(ctx context.Context) error { return nil }

func ignored(ctx context.Context) {
	//lifeguard:ignore ctxbreak the audit record must be written even if the request is cancelled
	work(context.Background())
}

func nolinted(ctx context.Context) {
	work(context.Background()) //nolint:ctxbreak
}

func reported(ctx context.Context) {
	work(context.Background()) // want `in reported, which has ctx`
}

func unused(ctx context.Context) {
	//lifeguard:ignore ctxbreak nothing to suppress here // want `unused //lifeguard:ignore ctxbreak directive`
	work(ctx)
}
