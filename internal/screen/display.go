package screen

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// display owns the terminal's output while the program runs. The event
// loop hands it views (show) and sizes (resize); one goroutine, the
// painter, writes them.
type display struct {
	out io.Writer
	in  *os.File

	mu      sync.Mutex
	view    tea.View
	pending bool     // view is newer than the screen
	w, h    int      // the terminal's size
	resized bool     // w, h changed since the last frame
	raw     []string // what commands write straight to the terminal (the bell)
	// What the terminal said it has (filter): synchronized output, and
	// widths measured by grapheme (Unicode core).
	syncd, grapheme bool

	wake chan struct{} // a frame or a raw write waits; holds one
	quit chan struct{}
	done chan struct{}
	// failed: the painter panicked (err says how); panicked: the model or
	// a command did. Either ends the program by quitProgram (Kill would
	// close the input while it is being read), and Run reports it once the
	// terminal is restored.
	err         error
	panicked    *caught
	quitProgram func()

	// The painter's own.
	painter
}

func newDisplay(out io.Writer, profile colorprofile.Profile, w, h int) *display {
	d := &display{out: out, w: w, h: h, resized: true,
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	d.painter = newPainter(out, profile)
	return d
}

// show hands the painter the newest view. It never blocks.
func (d *display) show(v tea.View) {
	d.mu.Lock()
	d.view, d.pending = v, true
	d.mu.Unlock()
	d.poke()
}

// resize is the terminal's new size; the next frame is drawn whole.
func (d *display) resize(w, h int) {
	d.mu.Lock()
	if w != d.w || h != d.h {
		d.w, d.h, d.resized = w, h, true
	}
	d.mu.Unlock()
}

func (d *display) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Write takes what Bubble Tea writes past its renderer (terminal queries,
// which its ticker flushes): the painter writes it between two frames, so
// one goroutine writes to the terminal.
func (d *display) Write(b []byte) (int, error) {
	d.mu.Lock()
	d.raw = append(d.raw, string(b))
	d.mu.Unlock()
	d.poke()
	return len(b), nil
}

// filter takes what a command writes past the renderer (tea.Raw: the
// bell) so that it reaches the terminal between two frames, at once.
// Bubble Tea would write it on its next tick, which here is up to a
// second away.
func (d *display) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.RawMsg:
		d.mu.Lock()
		d.raw = append(d.raw, fmt.Sprint(msg.Msg))
		d.mu.Unlock()
		d.poke()
		return nil
	case tea.ModeReportMsg:
		d.modeReport(msg)
	}
	return msg
}

// run is the painter's loop: a frame as soon as there is one, nothing
// while there is none.
func (d *display) run() {
	defer close(d.done)
	defer func() {
		if r := recover(); r != nil {
			d.mu.Lock()
			d.err = fmt.Errorf("internal error: drawing the screen: %v", r)
			d.mu.Unlock()
			go d.quitProgram()
		}
	}()
	for {
		select {
		case <-d.quit:
			return
		case <-d.wake:
			d.frame()
		}
	}
}

// frame draws what is pending.
func (d *display) frame() {
	d.mu.Lock()
	v, pending := d.view, d.pending
	w, h, resized := d.w, d.h, d.resized
	raw := d.raw
	syncd, grapheme := d.syncd, d.grapheme
	d.pending, d.resized, d.raw = false, false, nil
	d.mu.Unlock()
	if grapheme && !d.measuresGraphemes() {
		d.measureGraphemes()
	}
	d.beginFrame(syncd)
	if resized {
		d.size(w, h)
	}
	if pending || resized {
		d.paint(v)
	}
	for _, s := range raw {
		d.scr.WriteString(s) //nolint:errcheck // bytes.Buffer
	}
	d.endFrame()
}

// stop ends the painter after the frame it is drawing, and says whether
// it had failed.
func (d *display) stop() error {
	close(d.quit)
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// painter turns views into the bytes that change the screen: the lines
// that differ from the last frame go into a cell buffer, and ultraviolet's
// renderer (Bubble Tea's) writes the cells that differ.
type painter struct {
	out   io.Writer
	frame *bytes.Buffer // what scr writes for one frame
	syncd bool          // frame is wrapped in synchronized output
	scr   *uv.TerminalRenderer
	buf   uv.ScreenBuffer
	last  []string // the lines of the last frame, nil after a resize
	title string
}

func newPainter(out io.Writer, profile colorprofile.Profile) painter {
	frame := new(bytes.Buffer)
	scr := uv.NewTerminalRenderer(frame, os.Environ())
	scr.SetColorProfile(profile)
	scr.SetTabStops(-1)
	// Scroll optimisation hashes every line of every frame to find rows
	// that moved up or down; the dashboard's rows stay where they are
	// (graphs move sideways), so it is all cost: 8% of the production
	// path's CPU in a profile.
	scr.SetScrollOptim(false)
	return painter{out: out, frame: frame, scr: scr, buf: uv.NewScreenBuffer(0, 0)}
}

// size makes the buffer the terminal's size and the next frame whole.
func (p *painter) size(w, h int) {
	p.buf.Resize(w, h)
	p.scr.Resize(w, h)
	p.scr.Erase()
	p.last = nil
}

// paint draws v's lines that changed since the last frame. Each line is
// drawn on its own, which is how lipgloss writes them: every line ends
// its styles.
func (p *painter) paint(v tea.View) {
	if v.WindowTitle != p.title {
		p.scr.WriteString(ansi.SetWindowTitle(v.WindowTitle)) //nolint:errcheck // bytes.Buffer
		p.title = v.WindowTitle
	}
	w, h := p.buf.Width(), p.buf.Height()
	if len(p.last) != h {
		p.last = nil
	}
	fresh := p.last == nil
	if fresh {
		p.last = make([]string, h)
	}
	// The first h lines are whole lines; what lies past them is cut.
	lines := strings.SplitN(v.Content, "\n", h+1)
	for y := range h {
		line := ""
		if y < len(lines) {
			line = lines[y]
		}
		if !fresh && p.last[y] == line {
			continue
		}
		p.last[y] = line
		// A broken UTF-8 sequence would reach the terminal as it is and
		// swallow the next byte written, on this frame or the next.
		if !utf8.ValidString(line) {
			line = strings.ToValidUTF8(line, "\uFFFD")
		}
		uv.NewStyledString(line).Draw(p.buf, uv.Rect(0, y, w, 1))
	}
	p.scr.Render(p.buf.RenderBuffer)
}
