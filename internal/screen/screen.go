// Package screen runs a Bubble Tea program on this terminal and draws its
// frames itself, when the view changes and only then.
//
// Bubble Tea's own renderer wakes on a frame ticker: after every message it
// keeps ticking for FPS/2 frames before it parks, and a key press waits for
// the next tick. For a dashboard that gets one message a second that is
// twelve empty wake-ups a second at 25 FPS, and a frame that redraws and
// diffs every cell of the screen. BENCHMARKS.md ("Terminal") measured both
// as the larger part of what stormwatch costs over btop.
//
// Here Bubble Tea still reads the keyboard, runs the model and its
// commands; its renderer is turned off (tea.WithoutRenderer). After each
// Update the model's view goes to a painter that draws at once: the lines
// that differ from the last frame, through the same cell renderer Bubble
// Tea uses (ultraviolet), so a key press is on screen as soon as Update
// returns, and nothing wakes while nothing changes.
//
// Only a local terminal is drawn this way. A program whose output is not a
// terminal, on Windows, or over SSH (serve) keeps Bubble Tea's renderer.
package screen

import (
	"os"
	"runtime"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	xterm "github.com/charmbracelet/x/term"
)

// Program is a Bubble Tea program whose frames this package draws when it
// runs on a terminal. Send, Quit and Kill are Bubble Tea's.
type Program struct {
	*tea.Program
	d *display // nil: Bubble Tea draws
}

// Options say where a program runs.
type Options struct {
	In, Out *os.File // default os.Stdin, os.Stdout
	// Profile is the colour profile frames are written in; nil detects it
	// from Out and the environment (NO_COLOR included), as Bubble Tea does.
	Profile *colorprofile.Profile
	// BubbleTea leaves the frames to Bubble Tea's renderer, as on a pipe.
	BubbleTea bool
}

// bubbleFPS is Bubble Tea's frame rate while this package draws. Its
// ticker then only flushes what commands wrote past the renderer
// (terminal queries: the clipboard, a colour), within 1/bubbleFPS. Bubble
// Tea parks it after max(FPS/2, 1) idle ticks, so up to 3 costs the same
// one tick after each message as 1 does, and answers three times sooner.
const bubbleFPS = 3

// NewProgram makes the program for model. opts are Bubble Tea's options;
// when the frames are drawn here they must not set a renderer, an input or
// an output of their own.
func NewProgram(model tea.Model, o Options, opts ...tea.ProgramOption) *Program {
	if o.In == nil {
		o.In = os.Stdin
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Profile != nil {
		opts = append(opts, tea.WithColorProfile(*o.Profile))
	}
	if o.BubbleTea || !drawsHere(o) {
		return &Program{Program: tea.NewProgram(model, append(opts, tea.WithInput(o.In), tea.WithOutput(o.Out))...)}
	}
	w, h, err := xterm.GetSize(o.Out.Fd())
	if err != nil || w <= 0 || h <= 0 {
		return &Program{Program: tea.NewProgram(model, append(opts, tea.WithInput(o.In), tea.WithOutput(o.Out))...)}
	}
	profile := colorprofile.Detect(o.Out, os.Environ())
	if o.Profile != nil {
		profile = *o.Profile
	}
	d := newDisplay(o.Out, profile, w, h)
	d.in = o.In
	opts = append(opts,
		tea.WithoutRenderer(), tea.WithFPS(bubbleFPS),
		tea.WithInput(o.In), tea.WithOutput(d),
		tea.WithWindowSize(w, h), tea.WithColorProfile(profile),
		tea.WithFilter(d.filter))
	return &Program{Program: tea.NewProgram(drawn{m: model, d: d}, opts...), d: d}
}

// drawsHere: frames are drawn here on a local Unix terminal.
func drawsHere(o Options) bool {
	return runtime.GOOS != "windows" && xterm.IsTerminal(o.In.Fd()) && xterm.IsTerminal(o.Out.Fd())
}

// Run runs the program until it quits, and leaves the terminal as it found
// it, whatever ended it.
func (p *Program) Run() (tea.Model, error) {
	if p.d == nil {
		return p.Program.Run()
	}
	restore, err := p.d.open(p.Program)
	if err != nil {
		return nil, err
	}
	m, err := p.runRestoring(restore)
	if dm, ok := m.(drawn); ok {
		m = dm.m
	}
	return m, err
}

// runRestoring runs the program and restores the terminal even when Run
// panics; a panic in the model is printed once the terminal is back, and
// a failed painter's error wins over the kill it caused.
func (p *Program) runRestoring(restore func() error) (m tea.Model, err error) {
	defer func() {
		failed := restore()
		if c := p.d.caughtPanic(); c != nil {
			c.print(os.Stderr)
			err = errPanic
		} else if failed != nil {
			err = failed
		}
	}()
	return p.Program.Run()
}

// drawn wraps the model: after each Update its view goes to the painter.
// Its own View is empty, for Bubble Tea's renderer is off.
type drawn struct {
	m tea.Model
	d *display
}

func (v drawn) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			v.d.catch(r)
			cmd = nil
		}
	}()
	return v.d.guard(v.m.Init())
}

func (v drawn) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if v.d.caughtPanic() != nil {
		return v, nil // the program is ending
	}
	defer func() {
		if r := recover(); r != nil {
			v.d.catch(r)
			m, cmd = v, nil
		}
	}()
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		v.d.resize(size.Width, size.Height)
	}
	next, cmd := v.m.Update(msg)
	v.d.show(next.View())
	return drawn{m: next, d: v.d}, v.d.guard(cmd)
}

func (v drawn) View() tea.View { return tea.View{} }
