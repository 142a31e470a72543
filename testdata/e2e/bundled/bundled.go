// Package bundled holds one bug for each go vet analyzer that lifeguard
// bundles, and one finding of each suppressed by a directive. Lines marked
// "e2e:want" must be reported by the named analyzer.
package bundled

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func lostCancel(ctx context.Context) context.Context {
	ctx, _ = context.WithTimeout(ctx, time.Second) // e2e:want lostcancel "should be called"
	return ctx
}

func responseBeforeError(c *http.Client) error {
	resp, err := c.Get("http://example.com")
	defer resp.Body.Close() // e2e:want httpresponse "before checking for errors"
	return err
}

func unbufferedSignals() {
	ch := make(chan os.Signal)
	signal.Notify(ch, os.Interrupt) // e2e:want sigchanyzer "unbuffered os.Signal channel"
	<-ch
}

func suppressed(ctx context.Context) context.Context {
	ctx, _ = context.WithTimeout(ctx, time.Second) //nolint:lostcancel // the deadline is the point; cancel is never needed
	//lifeguard:ignore lostcancel the context lives as long as the process
	ctx, _ = context.WithCancel(ctx)
	return ctx
}

// lostcancel knows from ctrlflow's facts that log.Fatal, in another package,
// never returns: the path through it needs no cancel.
func fatalPath(ctx context.Context, fail bool) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	if fail {
		log.Fatal("no")
		return nil // not reached
	}
	defer cancel()
	return ctx.Err()
}
