package regress

import "net/http"

// github.com/nats-io/nats-server/v2 server/filestore.go:6836 and 32 more
// (outside the acceptance corpora): a monitoring handler reaches the
// storage engine, whose flush loops are started four to nine calls down.
// Those goroutines are the subsystem's, not work the handler started.
type fileStore struct{ blocks []*msgBlock }

type msgBlock struct{ flushing bool }

func (mb *msgBlock) flushLoop() { mb.flushing = mb.blocks() > 0 }

func (mb *msgBlock) blocks() int { return len(mb.name()) }

func (mb *msgBlock) name() string { return "blk" }

func (mb *msgBlock) spinUpFlushLoop() { go mb.flushLoop() }

func (fs *fileStore) newMsgBlockForWrite() *msgBlock {
	mb := &msgBlock{}
	mb.spinUpFlushLoop()
	fs.blocks = append(fs.blocks, mb)
	return mb
}

func newFileStore() *fileStore {
	fs := &fileStore{}
	fs.newMsgBlockForWrite()
	return fs
}

type natsServer struct{ fs *fileStore }

func (s *natsServer) enableJetStream() { s.fs = newFileStore() }

func (s *natsServer) HandleConnz(w http.ResponseWriter, r *http.Request) {
	s.enableJetStream()
}
