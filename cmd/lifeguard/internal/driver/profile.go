package driver

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startProfiles starts the profiles requested by -cpuprofile, -memprofile
// and -trace. The returned function writes them out; call it exactly once.
// Profile paths are relative to the current directory, not to -C.
func startProfiles(opts *options) (stop func() error, err error) {
	var stops []func() error
	stopAll := func() error {
		var errs []error
		for i := len(stops) - 1; i >= 0; i-- {
			errs = append(errs, stops[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			stopAll()
		}
	}()

	if opts.cpuProfile != "" {
		f, err := os.Create(opts.cpuProfile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("-cpuprofile: %v", err)
		}
		stops = append(stops, func() error {
			pprof.StopCPUProfile()
			return f.Close()
		})
	}
	if opts.trace != "" {
		f, err := os.Create(opts.trace)
		if err != nil {
			return nil, err
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("-trace: %v", err)
		}
		stops = append(stops, func() error {
			trace.Stop()
			return f.Close()
		})
	}
	if opts.memProfile != "" {
		f, err := os.Create(opts.memProfile)
		if err != nil {
			return nil, err
		}
		stops = append(stops, func() error {
			runtime.GC() // up-to-date statistics
			err := pprof.Lookup("heap").WriteTo(f, 0)
			return errors.Join(err, f.Close())
		})
	}
	return stopAll, nil
}
