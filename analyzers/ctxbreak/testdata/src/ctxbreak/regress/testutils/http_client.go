// Package testutils is test-support code by its name (like httptest or
// grpc's internal/testutils): its fakes serve tests.
package testutils

import (
	"context"
	"net/http"
	"time"
)

type Channel struct{}

func (c *Channel) Send(v any)                               {}
func (c *Channel) Receive(ctx context.Context) (any, error) { return nil, nil }

type FakeHTTPClient struct {
	ReqChan, RespChan *Channel
	RecvTimeout       time.Duration
}

// grpc internal/testutils/http_client.go:56: a fake client's Do waits for
// the injected response under its own timeout.
func (fc *FakeHTTPClient) Do(req *http.Request) (*http.Response, error) {
	fc.ReqChan.Send(req)
	ctx, cancel := context.WithTimeout(context.Background(), fc.RecvTimeout)
	defer cancel()
	val, err := fc.RespChan.Receive(ctx)
	if err != nil {
		return nil, err
	}
	return val.(*http.Response), nil
}
