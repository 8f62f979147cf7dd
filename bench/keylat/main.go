// Command keylat measures how long stormwatch takes to answer a key press:
// from writing "?" to the terminal to the help overlay's text arriving on
// it. It runs the command under a pseudo-terminal of the given size, as a
// terminal emulator would, presses "?" at a random moment (help opens),
// waits for the answer, presses "?" again (help closes), and reports the
// distribution over several presses.
//
//	go run ./bench/keylat -n 30 -ready "API server CPU" -- /tmp/stormwatch --config x.yaml
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// answer is text only the help overlay shows.
const answer = "history"

func main() {
	n := flag.Int("n", 30, "key presses")
	ready := flag.String("ready", "DEMO", "output that says the dashboard is up")
	cols := flag.Int("cols", 120, "terminal width")
	rows := flag.Int("rows", 40, "terminal height")
	settle := flag.Duration("settle", 3*time.Second, "wait after the first frame")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: keylat [-n presses] [-ready TEXT] -- command args...")
		os.Exit(2)
	}
	open, closed, err := run(flag.Args(), *ready, *n, *settle, uint16(*cols), uint16(*rows))
	if err != nil {
		fmt.Fprintln(os.Stderr, "keylat:", err)
		os.Exit(1)
	}
	report("help opens (key to its text)", open)
	report("help closes (key to the next output)", closed)
}

func report(what string, ds []time.Duration) {
	slices.Sort(ds)
	over := 0
	for _, d := range ds {
		if d > 50*time.Millisecond {
			over++
		}
	}
	fmt.Printf("%-38s presses %d  median %s  p90 %s  max %s  over 50ms %d\n", what, len(ds),
		ms(ds[len(ds)/2]), ms(ds[len(ds)*9/10]), ms(ds[len(ds)-1]), over)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/1e6) }

// term is the program's output as it arrives.
type term struct {
	mu   sync.Mutex
	out  []byte
	last time.Time // when the last output arrived
	cond *sync.Cond
}

func run(args []string, ready string, n int, settle time.Duration, cols, rows uint16) (open, closed []time.Duration, err error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: cols, Rows: rows})
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		f.Close()
	}()
	t := &term{}
	t.cond = sync.NewCond(&t.mu)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			k, err := f.Read(buf)
			t.mu.Lock()
			t.out = append(t.out, buf[:k]...)
			t.last = time.Now()
			t.cond.Broadcast()
			t.mu.Unlock()
			answerQueries(f, buf[:k])
			if err != nil {
				return
			}
		}
	}()
	if _, ok := t.waitFor(0, []byte(ready), 15*time.Second); !ok {
		return nil, nil, fmt.Errorf("no %q within 15s", ready)
	}
	time.Sleep(settle)
	for i := 0; i < n; i++ {
		time.Sleep(time.Duration(200+rand.IntN(800)) * time.Millisecond)
		d, err := t.press(f, []byte(answer))
		if err != nil {
			return nil, nil, err
		}
		open = append(open, d)
		time.Sleep(time.Duration(200+rand.IntN(300)) * time.Millisecond)
		d, err = t.press(f, nil)
		if err != nil {
			return nil, nil, err
		}
		closed = append(closed, d)
	}
	return open, closed, nil
}

// press writes "?" and times the first output after it that contains want
// (any output when want is nil).
func (t *term) press(f *os.File, want []byte) (time.Duration, error) {
	t.mu.Lock()
	from := len(t.out)
	t.mu.Unlock()
	start := time.Now()
	if _, err := f.Write([]byte("?")); err != nil {
		return 0, err
	}
	at, ok := t.waitFor(from, want, 5*time.Second)
	if !ok {
		return 0, fmt.Errorf("no answer to a key press within 5s")
	}
	return at.Sub(start), nil
}

// waitFor returns when output after offset from contains want.
func (t *term) waitFor(from int, want []byte, limit time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(limit)
	timer := time.AfterFunc(limit, func() { t.mu.Lock(); t.cond.Broadcast(); t.mu.Unlock() })
	defer timer.Stop()
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if len(t.out) > from && (want == nil || bytes.Contains(t.out[from:], want)) {
			return t.last, true
		}
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		t.cond.Wait()
	}
}

// answerQueries replies to the terminal queries a Bubble Tea program may
// send (background colour, cursor position), as a terminal would.
func answerQueries(f *os.File, out []byte) {
	if bytes.Contains(out, []byte("\x1b]11;?")) {
		f.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\"))
	}
	if bytes.Contains(out, []byte("\x1b[6n")) {
		f.Write([]byte("\x1b[1;1R"))
	}
}
