//go:build !windows

package screen

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	xterm "github.com/charmbracelet/x/term"
)

// What Bubble Tea's renderer sets on its first frame and resets on exit,
// written here since its renderer is off: the alternate screen, a hidden
// cursor, bracketed paste, and keys told apart (modifyOtherKeys, the Kitty
// keyboard protocol's first level); a terminal ignores what it lacks.
const (
	enterModes = ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.SetModeBracketedPaste +
		ansi.SetModifyOtherKeys2
	leaveModes = ansi.ResetModifyOtherKeys + ansi.ResetModeBracketedPaste + ansi.ShowCursor +
		ansi.ResetModeAltScreenSaveCursor
	kittyDisambiguate = 1
)

// open takes the terminal for p: raw input, the modes above, the painter,
// and the window's size as it changes. restore gives it back as it was;
// it is safe to call once whatever happened in between.
func (d *display) open(p *tea.Program) (restore func() error, err error) {
	fd := d.in.Fd()
	state, err := xterm.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	// The background colour is asked for at once: a model that adapts its
	// colours asks in Init, and that query would wait for Bubble Tea's
	// next tick (up to 1/bubbleFPS), the dark theme showing meanwhile on
	// a light terminal. The answer reaches the model as a message.
	enter := enterModes + ansi.PushKittyKeyboard(kittyDisambiguate) + ansi.RequestBackgroundColor
	if asksModes(os.Environ()) {
		enter += askModes
	}
	if _, err := fmt.Fprint(d.out, enter); err != nil {
		_ = xterm.Restore(fd, state)
		return nil, fmt.Errorf("terminal: %w", err)
	}
	d.scr.SaveCursor()
	d.scr.SetFullscreen(true)
	d.scr.SetRelativeCursor(false)
	d.scr.Erase()
	d.quitProgram = p.Quit
	go d.run()

	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	// A resize between NewProgram reading the size and now sent no signal
	// that we heard.
	d.mu.Lock()
	w0, h0 := d.w, d.h
	d.mu.Unlock()
	if w, h, err := xterm.GetSize(d.outFd()); err == nil && (w != w0 || h != h0) {
		go p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	}
	stopWinch := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stopWinch:
				return
			case <-winch:
				if w, h, err := xterm.GetSize(d.outFd()); err == nil {
					p.Send(tea.WindowSizeMsg{Width: w, Height: h})
				}
			}
		}
	}()

	return func() error {
		signal.Stop(winch)
		close(stopWinch)
		wg.Wait()
		failed := d.stop()
		fmt.Fprint(d.out, d.leaving()) //nolint:errcheck // the terminal may be gone
		_ = xterm.Restore(fd, state)
		return failed
	}, nil
}

// outFd is the terminal the frames go to.
func (d *display) outFd() uintptr {
	if f, ok := d.out.(*os.File); ok {
		return f.Fd()
	}
	return d.in.Fd()
}

// leaving is what gives the terminal back its modes: the reverse of
// enterModes, and what the frames set (the title, Unicode core).
func (p *painter) leaving() string {
	s := ansi.PopKittyKeyboard(1) + leaveModes
	if p.title != "" {
		// As Bubble Tea's renderer does: the shell's tab must not go on
		// with our name.
		s += ansi.SetWindowTitle("")
	}
	if p.measuresGraphemes() {
		s += ansi.ResetModeUnicodeCore
	}
	return s
}
