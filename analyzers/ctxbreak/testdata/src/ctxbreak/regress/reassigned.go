package regress

import "context"

func query(ctx context.Context) error { return ctx.Err() }

// A variable given two fresh roots on two branches, captured by a closure
// on one of them: the closure sees only the root stored on its own branch.
// ctxbreak once followed the root of the other branch into the closure too
// (every closure capturing the variable), and reported it for work it
// never roots. It follows what ownership follows for commands: the
// closures that can run after the store.
func twoRoots(ctx context.Context, detach bool) error {
	var root context.Context
	if detach {
		root = context.Background()
		return nil
	}
	root = context.TODO() // want `^context\.TODO\(\) in twoRoots, which has ctx: the work it roots`
	run := func() error { return query(root) }
	return run()
}
