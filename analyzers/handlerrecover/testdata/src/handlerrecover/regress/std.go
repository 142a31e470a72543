// Package regress holds the false positives found on real code, each
// named after where it was found, and the real findings next to them.
package regress

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"reflect"
	"sync"
)

// cmd/go/internal/vcweb/hg.go:146: a goroutine that keeps draining a
// child's stdout, and nothing else.
type hgHandler struct {
	wg sync.WaitGroup
}

func (h *hgHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r := bufio.NewReader(req.Body)
	h.wg.Add(1)
	go func() {
		io.Copy(io.Discard, r)
		h.wg.Done()
	}()
}

// net/http/httputil/reverseproxy.go:426: a CloseNotify watcher that
// cancels the outgoing request.
type closeNotifier interface{ CloseNotify() <-chan bool }

func reverseProxyWatcher(rw http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	if cn, ok := rw.(closeNotifier); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		notifyChan := cn.CloseNotify()
		go func() {
			select {
			case <-notifyChan:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	_ = ctx
}

// net/http/httputil/reverseproxy.go:846, 877, 878: the protocol-switch
// watcher and the two copiers, named methods doing only io.Copy, a
// capability probe and channel sends.
type switchProtocolCopier struct {
	user, backend io.ReadWriter
}

var errCopyDone = io.EOF

func (c switchProtocolCopier) copyToBackend(errc chan<- error) {
	if _, err := io.Copy(c.backend, c.user); err != nil {
		errc <- err
		return
	}
	if wc, ok := c.backend.(interface{ CloseWrite() error }); ok {
		errc <- wc.CloseWrite()
		return
	}
	errc <- errCopyDone
}

func (c switchProtocolCopier) copyFromBackend(errc chan<- error) {
	if _, err := io.Copy(c.user, c.backend); err != nil {
		errc <- err
		return
	}
	errc <- errCopyDone
}

func upgrade(rw http.ResponseWriter, req *http.Request, backConn net.Conn, conn net.Conn) {
	backConnCloseCh := make(chan bool)
	go func() {
		select {
		case <-req.Context().Done():
		case <-backConnCloseCh:
		}
		backConn.Close()
	}()
	defer close(backConnCloseCh)
	errc := make(chan error, 1)
	spc := switchProtocolCopier{user: conn, backend: backConn}
	go spc.copyToBackend(errc)
	go spc.copyFromBackend(errc)
	<-errc
}

type proxy struct{ backConn, conn net.Conn }

func (p *proxy) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	upgrade(rw, req, p.backConn, p.conn)
}

// net/rpc/server.go:480 (a real finding): each call of an RPC method runs
// in its own goroutine, through reflect, without a recover; served over
// HTTP, a panicking method kills the server.
type service struct{ rcvr reflect.Value }

type methodType struct{ method reflect.Method }

func (s *service) call(mtype *methodType, argv, replyv reflect.Value) {
	mtype.method.Func.Call([]reflect.Value{s.rcvr, argv, replyv})
}

type rpcServer struct{ svc *service }

func (server *rpcServer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var mtype methodType
	go server.svc.call(&mtype, reflect.Value{}, reflect.Value{}) // want `goroutine started in HTTP handler \(\*rpcServer\)\.ServeHTTP has no deferred recover: .*; defer a recover at the top of \(\*service\)\.call`
}

// golang.org/x/net/trace/trace.go:873: the goroutine only calls the
// recycler the user installed, a function value handed in: as unknown as
// go recycler(x).
type trace struct {
	recycler func(any)
	events   []any
}

func (tr *trace) unref() {
	if tr.recycler != nil {
		go func(f func(any), es []any) {
			for _, e := range es {
				f(e)
			}
		}(tr.recycler, tr.events)
	}
}

func traces(w http.ResponseWriter, req *http.Request) {
	tr := &trace{}
	tr.unref()
}
