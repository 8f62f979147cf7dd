//go:build !windows

package screen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// counter counts x presses, shows the window's size, and quits on q.
type counter struct {
	n    int
	w, h int
}

func (c counter) Init() tea.Cmd { return nil }

func (c counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.w, c.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch msg.String() {
		case "x":
			c.n++
			return c, tea.Raw("\a")
		case "q":
			return c, tea.Quit
		}
	}
	return c, nil
}

func (c counter) View() tea.View {
	v := tea.NewView(fmt.Sprintf("count %d\nsize %dx%d", c.n, c.w, c.h))
	v.AltScreen = true
	v.WindowTitle = "counter"
	return v
}

// screenReader keeps what the program wrote to the terminal, and what a
// terminal of that size shows.
type screenReader struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	term *vt.Emulator
	ch   chan struct{}
}

func newScreenReader(w, h int) *screenReader {
	r := &screenReader{ch: make(chan struct{}, 1), term: vt.NewEmulator(w, h)}
	go io.Copy(io.Discard, r.term) //nolint:errcheck // its replies
	return r
}

// shows waits for the terminal's screen to hold s.
func (r *screenReader) shows(t *testing.T, s string) {
	t.Helper()
	r.until(t, "the screen to show "+strconv.Quote(s), func() bool { return strings.Contains(r.term.String(), s) })
}

// until waits for ok (called under the lock) to hold; a hang detector,
// not a timing.
func (r *screenReader) until(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		r.mu.Lock()
		done := ok()
		r.mu.Unlock()
		if done {
			return
		}
		select {
		case <-r.ch:
		case <-deadline:
			r.mu.Lock()
			defer r.mu.Unlock()
			t.Fatalf("waited for %s; the screen shows\n%s\nafter %q", what, r.term.String(), r.buf.String())
		}
	}
}

func (r *screenReader) read(f *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := f.Read(b)
		r.mu.Lock()
		r.buf.Write(b[:n])
		r.term.Write(b[:n]) //nolint:errcheck // an emulator
		r.mu.Unlock()
		select {
		case r.ch <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// await waits for the bytes s to be written after the first from bytes,
// and returns where they end.
func (r *screenReader) await(t *testing.T, from int, s string) (end int) {
	t.Helper()
	r.until(t, strconv.Quote(s)+" to be written", func() bool {
		i := strings.Index(r.buf.String()[from:], s)
		end = from + i + len(s)
		return i >= 0
	})
	return end
}

// openTerminal is a w×h pseudo-terminal: its controlling side (where keys
// are typed), the program's side, and a reader of the screen drawn on it. Both ends close when the test ends; without
// a pseudo-terminal the test is skipped.
func openTerminal(t *testing.T, w, h int) (ptm, tty *os.File, r *screenReader) {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { ptm.Close(); tty.Close() })
	if err := pty.Setsize(ptm, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)}); err != nil {
		t.Fatal(err)
	}
	r = newScreenReader(w, h)
	go r.read(ptm)
	return ptm, tty, r
}

// settings are the terminal's line settings, to compare after a run.
func settings(t *testing.T, tty *os.File) *unix.Termios {
	t.Helper()
	s, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// settingsRestored fails unless the terminal's settings are as before.
func settingsRestored(t *testing.T, tty *os.File, before *unix.Termios, when string) {
	t.Helper()
	after := settings(t, tty)
	if before.Lflag != after.Lflag || before.Iflag != after.Iflag || before.Oflag != after.Oflag {
		t.Fatalf("the terminal's settings were not restored%s: %+v, were %+v", when, after, before)
	}
}

// A program run on a terminal: the first frame, a key answered with its
// frame and its bell, a resize, a quit; and the terminal given back with
// its modes reset and its settings as they were.
func TestAProgramOnATerminalDrawsKeysAndResizesAndGivesItBack(t *testing.T) {
	ptm, tty, r := openTerminal(t, 40, 10)
	before := settings(t, tty)

	p := NewProgram(counter{}, Options{In: tty, Out: tty})
	if p.d == nil {
		t.Fatal("a terminal was left to Bubble Tea's renderer")
	}
	type result struct {
		m   tea.Model
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := p.Run()
		done <- result{m, err}
	}()

	at := r.await(t, 0, "\x1b[?1049h")
	r.shows(t, "count 0")
	r.shows(t, "size 40x10")
	ptm.WriteString("x") //nolint:errcheck // a pty
	r.shows(t, "count 1")
	at = r.await(t, at, "\a")

	if err := pty.Setsize(ptm, &pty.Winsize{Cols: 50, Rows: 12}); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.term.Resize(50, 12)
	r.mu.Unlock()
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	r.shows(t, "size 50x12")

	ptm.WriteString("q") //nolint:errcheck // a pty
	var res result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the program did not quit on q")
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	if c, ok := res.m.(counter); !ok || c.n != 1 {
		t.Fatalf("Run returned %#v, want the counter at 1", res.m)
	}
	r.await(t, at, "\x1b[?1049l")
	r.mu.Lock()
	out := r.buf.String()
	r.mu.Unlock()
	if !strings.Contains(out, "\x1b]2;counter\x07") && !strings.Contains(out, "\x1b]0;counter\x07") {
		t.Errorf("the window title was not set: %q", out)
	}
	if !strings.Contains(out, "\x1b[?25h") {
		t.Error("the cursor was not shown again")
	}
	settingsRestored(t, tty, before, "")
}

// Output that is not a terminal is left to Bubble Tea, as before.
func TestAPipeIsLeftToBubbleTea(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if p := NewProgram(counter{}, Options{In: r, Out: w}); p.d != nil {
		t.Fatal("a pipe was drawn on as a terminal")
	}
}

// boom panics in View once the window's size is known.
type boom struct{ sized bool }

func (b boom) Init() tea.Cmd { return nil }

func (b boom) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, sized := msg.(tea.WindowSizeMsg)
	return boom{sized: b.sized || sized}, nil
}

func (b boom) View() tea.View {
	if b.sized {
		panic("boom in View")
	}
	return tea.NewView("before")
}

// A panic in the dashboard (its View runs in Update here) ends Run with
// Bubble Tea's panic error, and the terminal is given back all the same.
func TestAPanicStillGivesTheTerminalBack(t *testing.T) {
	_, tty, r := openTerminal(t, 40, 10)
	before := settings(t, tty)
	done := make(chan error, 1)
	go func() {
		_, err := NewProgram(boom{}, Options{In: tty, Out: tty}).Run()
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after the panic")
	}
	if !errors.Is(err, tea.ErrProgramPanic) {
		t.Fatalf("Run returned %v, want Bubble Tea's panic error", err)
	}
	r.await(t, 0, ansi.ResetModeAltScreenSaveCursor)
	settingsRestored(t, tty, before, " after a panic")
}
