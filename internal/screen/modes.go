package screen

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// What Bubble Tea's renderer asks the terminal on start, and uses when
// it answers: synchronized output (mode 2026), so a frame appears whole
// rather than row by row, and Unicode core (2027), so the terminal and
// the cell buffer measure an emoji sequence alike. Its renderer is off
// here, so open asks and filter hears the answer.
const askModes = ansi.RequestModeSynchronizedOutput + ansi.RequestModeUnicodeCore

// asksModes is Bubble Tea's own rule (shouldQuerySynchronizedOutput):
// not over SSH, where a reply may come late, nor in Apple's Terminal,
// unless the terminal is one known to answer.
func asksModes(env uv.Environ) bool {
	termType := env.Getenv("TERM")
	termProg, okTermProg := env.LookupEnv("TERM_PROGRAM")
	_, okSSHTTY := env.LookupEnv("SSH_TTY")
	_, okWTSession := env.LookupEnv("WT_SESSION")
	return (!okTermProg && !okSSHTTY) ||
		okWTSession ||
		(okTermProg && !strings.Contains(termProg, "Apple") && !okSSHTTY) ||
		strings.Contains(termType, "ghostty") ||
		strings.Contains(termType, "wezterm") ||
		strings.Contains(termType, "alacritty") ||
		strings.Contains(termType, "kitty") ||
		strings.Contains(termType, "rio")
}

// modeReport takes the terminal's answer as Bubble Tea's renderer does.
func (d *display) modeReport(msg tea.ModeReportMsg) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch msg.Mode {
	case ansi.ModeSynchronizedOutput:
		// Reset: it has the mode, and it is off until we set it.
		if msg.Value == ansi.ModeReset {
			d.syncd = true
		}
	case ansi.ModeUnicodeCore:
		if msg.Value == ansi.ModeReset || msg.Value == ansi.ModeSet || msg.Value == ansi.ModePermanentlySet {
			// Cells measured anew: the next frame is drawn whole.
			d.grapheme, d.resized = true, true
			d.poke()
		}
	}
}

// measuresGraphemes: the cell buffer measures by grapheme.
func (p *painter) measuresGraphemes() bool { return p.buf.Method == ansi.GraphemeWidth }

// measureGraphemes turns the terminal's Unicode core mode on and
// measures cells as it then does.
func (p *painter) measureGraphemes() {
	p.buf.Method = ansi.GraphemeWidth
	p.scr.WriteString(ansi.SetModeUnicodeCore) //nolint:errcheck // bytes.Buffer
}

// beginFrame starts a frame.
func (p *painter) beginFrame(syncd bool) {
	p.syncd = syncd
	if syncd {
		p.scr.WriteString(ansi.SetModeSynchronizedOutput) //nolint:errcheck // bytes.Buffer
	}
}

// endFrame writes the frame, if it holds anything, in one write.
func (p *painter) endFrame() {
	_ = p.scr.Flush() // into p.frame
	if p.syncd {
		if p.frame.Len() == len(ansi.SetModeSynchronizedOutput) {
			p.frame.Reset() // nothing changed: nothing to write
		} else {
			p.frame.WriteString(ansi.ResetModeSynchronizedOutput)
		}
	}
	if p.frame.Len() > 0 {
		_, _ = p.out.Write(p.frame.Bytes()) // a terminal that is gone ends the program by its input
		p.frame.Reset()
	}
}
