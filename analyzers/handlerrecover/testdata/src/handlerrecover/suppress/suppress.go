package suppress

import "net/http"

func handler(w http.ResponseWriter, r *http.Request) {
	//lifeguard:ignore handlerrecover audit cannot panic: it only sends on a buffered channel
	go audit(r)

	go audit(r) //nolint:handlerrecover // same

	go audit(r) //nolint:lifeguard

	go audit(r) //nolint:cmdwait // want `goroutine started in HTTP handler handler has no deferred recover`

	//lifeguard:ignore handlerrecover // want `//lifeguard:ignore handlerrecover without a reason`
	go audit(r) // want `goroutine started in HTTP handler handler has no deferred recover`
}

//lifeguard:ignore handlerrecover nothing to suppress here // want `unused //lifeguard:ignore handlerrecover directive`
func clean(w http.ResponseWriter, r *http.Request) {}

type recorder interface{ Record(*http.Request) }

var sink recorder

func audit(r *http.Request) { sink.Record(r) }
