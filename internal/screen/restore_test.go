//go:build !windows

package screen

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// onPty runs model on a new pseudo-terminal of w x h; the reader sees
// what it writes, keys go to ptm, and wait returns what Run returned.
func onPty(t *testing.T, model tea.Model, w, h int) (r *screenReader, keys func(string), wait func() error) {
	t.Helper()
	return onPtyStderr(t, model, w, h, false)
}

// onPtyStderr is onPty; with stderr, os.Stderr is the terminal too while
// the program runs, as it is for a user.
func onPtyStderr(t *testing.T, model tea.Model, w, h int, stderr bool) (r *screenReader, keys func(string), wait func() error) {
	t.Helper()
	ptm, tty, r := openTerminal(t, w, h)
	p := NewProgram(model, Options{In: tty, Out: tty})
	if p.d == nil {
		t.Fatal("a terminal was left to Bubble Tea's renderer")
	}
	done := make(chan error, 1)
	if stderr {
		was := os.Stderr
		os.Stderr = tty
		t.Cleanup(func() { os.Stderr = was })
	}
	go func() {
		_, err := p.Run()
		done <- err
	}()
	keys = func(s string) { ptm.WriteString(s) } //nolint:errcheck // a pty
	wait = func() error {
		t.Helper()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("the program did not end")
			return nil
		}
	}
	return r, keys, wait
}

// Bubble Tea's renderer clears the window title it set when the program
// ends; a terminal tab must not go on saying "stormwatch" in the shell.
func TestTheWindowTitleIsClearedOnExit(t *testing.T) {
	r, keys, wait := onPty(t, counter{}, 40, 10)
	at := r.await(t, 0, "\x1b]2;counter\x07")
	r.shows(t, "count 0")
	keys("q")
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	r.await(t, at, "\x1b[?1049l")
	r.mu.Lock()
	out := r.buf.String()[at:]
	r.mu.Unlock()
	if !strings.Contains(out, "\x1b]2;\x07") && !strings.Contains(out, "\x1b]0;\x07") {
		t.Fatalf("the window title was left set; after it was set the program wrote %q", out)
	}
}

// The terminal is asked for synchronized output and Unicode core, as
// Bubble Tea asks it; when it has them they are used, and Unicode core
// is turned off again on exit.
func TestTheTerminalIsAskedForItsModesAndGivenThemBack(t *testing.T) {
	if !asksModes(os.Environ()) {
		t.Skip("this environment (SSH, Apple Terminal) is not asked, as Bubble Tea does not ask it")
	}
	r, keys, wait := onPty(t, counter{}, 40, 10)
	at := r.await(t, 0, ansi.RequestModeUnicodeCore)
	r.await(t, 0, ansi.RequestModeSynchronizedOutput)
	keys("\x1b[?2026;2$y\x1b[?2027;2$y") // both known, both off
	at = r.await(t, at, ansi.SetModeUnicodeCore)
	keys("x")
	at = r.await(t, at, ansi.SetModeSynchronizedOutput)
	r.shows(t, "count 1")
	keys("q")
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	at = r.await(t, at, ansi.ResetModeAltScreenSaveCursor)
	r.await(t, at-len(ansi.ResetModeAltScreenSaveCursor), ansi.ResetModeUnicodeCore)
}

// bgModel shows the background colour the terminal reported, if any.
type bgModel struct{ bg string }

func (b bgModel) Init() tea.Cmd { return tea.RequestBackgroundColor }

func (b bgModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		if msg.IsDark() {
			b.bg = "dark"
		} else {
			b.bg = "light"
		}
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return b, tea.Quit
		}
	}
	return b, nil
}

func (b bgModel) View() tea.View { return tea.NewView("background " + b.bg + ".") }

// The background colour is asked before the first frame, not on Bubble
// Tea's next tick: the first frames of a light terminal are not drawn in
// the dark theme for a second.
func TestTheBackgroundIsAskedBeforeTheFirstFrame(t *testing.T) {
	r, keys, wait := onPty(t, bgModel{}, 40, 10)
	asked := r.await(t, 0, ansi.RequestBackgroundColor)
	first := r.await(t, 0, "background")
	if asked > first {
		t.Fatalf("the first frame went out before the background was asked")
	}
	keys("\x1b]11;rgb:ffff/ffff/ffff\x07")
	r.shows(t, "background light.")
	keys("q")
	if err := wait(); err != nil {
		t.Fatal(err)
	}
}
