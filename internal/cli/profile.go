package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file named by
// STORMWATCH_CPUPROFILE, for finding where stormwatch's own CPU goes
// (bench/terminal.sh, BENCHMARKS.md). It is off unless the variable is
// set; a profile that cannot start is said once and the run goes on.
func startProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv("STORMWATCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stormwatch: STORMWATCH_CPUPROFILE: %v (running without a profile)\n", err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
