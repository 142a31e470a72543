package regress

import (
	"context"
	"crypto/tls"
	"time"
)

func updateARI(ctx context.Context, name string) error { return nil }

// certmagic handshake.go:652 (handshakeMaintenance): a goroutine literal
// takes the ClientHelloInfo as an argument, for its data; the goroutine
// outlives the handshake on purpose, so hello.Context() is not its context.
func handshakeMaintenance(ctx context.Context, hello *tls.ClientHelloInfo) {
	go func(hello *tls.ClientHelloInfo) {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		updateARI(ctx, hello.ServerName)
	}(hello)
}

// A synchronous callback given a ClientHelloInfo does have its context.
var tlsConfig = &tls.Config{
	GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		return nil, updateARI(context.Background(), hello.ServerName) // want `in the function literal at certmagic.go:24, which has hello\.Context\(\)`
	},
}
