// Package framework stands for the frameworks whose types carry a request
// context: a context interface with more methods, a message with a
// Context() method, a stream interface with one.
package framework

import "context"

// Ctx is a framework context: a context.Context with more methods.
type Ctx interface {
	context.Context
	UserID() string
}

// Message is a queue message that carries the context it was received with.
type Message struct {
	ctx     context.Context
	Payload []byte
}

// Context returns the message's context.
func (m *Message) Context() context.Context { return m.ctx }

// ServerStream is a streaming RPC, whose context is Context().
type ServerStream interface {
	Context() context.Context
	SendMsg(m any) error
}

// Group runs functions in goroutines.
type Group struct{}

// Go runs f in a goroutine.
func (g *Group) Go(f func() error) { go f() }

// Wait waits for the goroutines.
func (g *Group) Wait() error { return nil }
