// Package oauth2 stands in for golang.org/x/oauth2: a token source keeps
// the context it is made with, to fetch every later token with.
package oauth2

import (
	"context"
	"net/http"
)

type Token struct{ AccessToken string }

type TokenSource interface{ Token() (*Token, error) }

type Config struct{ TokenURL string }

// TokenSource keeps ctx for the token source's lifetime.
func (c *Config) TokenSource(ctx context.Context) TokenSource { return source{ctx} }

type source struct{ ctx context.Context }

func (s source) Token() (*Token, error) { return &Token{}, s.ctx.Err() }

// Transport authorizes each request with a token from Source.
type Transport struct {
	Base   http.RoundTripper
	Source TokenSource
}

func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) { return t.Base.RoundTrip(r) }

// HTTPClient is the context key of the client that fetches tokens.
var HTTPClient struct{}
