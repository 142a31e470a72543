package regress

import (
	"context"
	"net/http"
	"sync"

	"ctxbreak/regress/oauth2"
)

// prometheus/common config/http_config.go:618 ((*oauth2RoundTripper).
// RoundTrip): the first request builds the token source the round tripper
// keeps for every later request, with a context of its own; the request's
// context would end with the request, and every later token fetch with it.
type oauth2RoundTripper struct {
	mtx    sync.Mutex
	config *oauth2.Config
	next   http.RoundTripper
	rt     http.RoundTripper
	client *http.Client
}

func (rt *oauth2RoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mtx.Lock()
	defer rt.mtx.Unlock()
	if rt.rt == nil {
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, rt.client)
		tokenSource := rt.config.TokenSource(ctx)
		rt.rt = &oauth2.Transport{Base: rt.next, Source: tokenSource}
	}
	return rt.rt.RoundTrip(req)
}

// A token source kept as it is, returned, or sent: kept too.
func (rt *oauth2RoundTripper) keep(req *http.Request, sources chan<- oauth2.TokenSource) oauth2.TokenSource {
	sources <- rt.config.TokenSource(context.Background())
	return rt.config.TokenSource(context.TODO())
}

// A token source used at once fetches a token now, with a context the
// request's cancellation does not reach.
func (rt *oauth2RoundTripper) fetchNow(req *http.Request) (*oauth2.Token, error) {
	ts := rt.config.TokenSource(context.Background()) // want `context.Background\(\) in \(\*oauth2RoundTripper\).fetchNow, which has req.Context\(\)`
	return ts.Token()
}

// Kept in a struct literal that is used at once: used now.
func (rt *oauth2RoundTripper) literalUsedNow(req *http.Request) (*http.Response, error) {
	t := &oauth2.Transport{Base: rt.next, Source: rt.config.TokenSource(context.Background())} // want `context.Background\(\) in \(\*oauth2RoundTripper\).literalUsedNow, which has req.Context\(\)`
	_, err := t.Source.Token()
	return nil, err
}

// Put in a local slice: not known to be kept.
func (rt *oauth2RoundTripper) inSlice(req *http.Request) error {
	list := []oauth2.TokenSource{rt.config.TokenSource(context.Background())} // want `context.Background\(\) in \(\*oauth2RoundTripper\).inSlice, which has req.Context\(\)`
	for _, ts := range list {
		if _, err := ts.Token(); err != nil {
			return err
		}
	}
	return nil
}
