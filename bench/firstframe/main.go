// Command firstframe measures how long a command takes from process start
// to the first output that contains a marker ("DEMO" by default): the time
// a person waits between pressing enter and seeing the dashboard. It runs
// the command under a pseudo-terminal of the given size, as a terminal
// emulator would, and reports the median of several runs.
//
//	go run ./bench/firstframe -n 20 -- /tmp/stormwatch demo
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"

	"github.com/creack/pty"
)

func main() {
	n := flag.Int("n", 10, "runs")
	marker := flag.String("marker", "DEMO", "output that counts as the first frame")
	cols := flag.Int("cols", 120, "terminal width")
	rows := flag.Int("rows", 40, "terminal height")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: firstframe [-n runs] [-marker DEMO] -- command args...")
		os.Exit(2)
	}
	var ds []time.Duration
	for i := 0; i < *n; i++ {
		d, err := once(flag.Args(), []byte(*marker), uint16(*cols), uint16(*rows))
		if err != nil {
			fmt.Fprintln(os.Stderr, "firstframe:", err)
			os.Exit(1)
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	fmt.Printf("runs %d  min %s  median %s  max %s\n", len(ds), ds[0].Round(time.Microsecond),
		ds[len(ds)/2].Round(time.Microsecond), ds[len(ds)-1].Round(time.Microsecond))
}

// once starts the command and times the first read that completes the
// marker. The clock starts just before fork/exec.
func once(args []string, marker []byte, cols, rows uint16) (time.Duration, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: cols, Rows: rows})
	if err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { io.Copy(io.Discard, f); close(done) }()
		cmd.Wait()
		f.Close()
		<-done
	}()
	var seen []byte
	buf := make([]byte, 64<<10)
	deadline := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for {
		k, err := f.Read(buf)
		if k > 0 {
			seen = append(seen, buf[:k]...)
			if bytes.Contains(seen, marker) {
				return time.Since(start), nil
			}
			answerQueries(f, buf[:k])
		}
		if err != nil {
			return 0, fmt.Errorf("no %q before the output ended (%d bytes): %w", marker, len(seen), err)
		}
	}
}

// answerQueries replies to the terminal queries a Bubble Tea program may
// send at start (background colour, cursor position), as a terminal would,
// so the program never waits on an absent terminal.
func answerQueries(f *os.File, out []byte) {
	if bytes.Contains(out, []byte("\x1b]11;?")) {
		f.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\"))
	}
	if bytes.Contains(out, []byte("\x1b[6n")) {
		f.Write([]byte("\x1b[1;1R"))
	}
}
