package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile of the whole run to the file named by
// STORMWATCH_CPUPROFILE, and an execution trace (`go tool trace`: which
// goroutine woke the process, and why) to the file named by
// STORMWATCH_TRACE, for finding where stormwatch's own CPU goes
// (bench/terminal.sh, BENCHMARKS.md). Both are off unless set; one that
// cannot start is said once and the run goes on without it.
func startProfile(stderr io.Writer) (stop func()) {
	stopCPU := startOne(stderr, "STORMWATCH_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := startOne(stderr, "STORMWATCH_TRACE", trace.Start, trace.Stop)
	return func() {
		stopTrace()
		stopCPU()
	}
}

func startOne(stderr io.Writer, env string, start func(io.Writer) error, end func()) (stop func()) {
	path := os.Getenv(env)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stormwatch: %s: %v (running without it)\n", env, err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		end()
		f.Close()
	}
}
