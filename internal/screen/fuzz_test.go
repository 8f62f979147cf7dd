package screen

import (
	"io"
	"strconv"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"
)

// terminal is a terminal emulator of w x h and a display drawing on it
// full-screen, as open sets it up.
func terminal(w, h int) (*vt.Emulator, *display) {
	term := vt.NewEmulator(w, h)
	go io.Copy(io.Discard, term) //nolint:errcheck // replies to queries, if any
	d := newDisplay(term, colorprofile.TrueColor, w, h)
	d.scr.SetFullscreen(true)
	d.scr.SetRelativeCursor(false)
	return term, d
}

// onTerminal paints frames one after another on a terminal emulator of
// w x h and returns it.
func onTerminal(w, h int, frames ...string) *vt.Emulator {
	term, d := terminal(w, h)
	for _, f := range frames {
		d.show(tea.View{Content: f})
		d.frame()
	}
	return term
}

// Whatever two views hold (styles, wide and zero-width characters, lines
// too long or too many, control bytes a sanitiser should have caught),
// painting the second after the first leaves the screen the second
// painted alone would: the lines the painter skipped are right. And it
// never panics.
func FuzzPaintAfterAnyFrame(f *testing.F) {
	f.Add("count 0\nsize 20x6", "count 1\nsize 20x6", uint8(20), uint8(6))
	f.Add("\x1b[31mred\x1b[m line\nplain", "\x1b[1;44mbold on blue\x1b[m\n\n\nlast", uint8(12), uint8(4))
	f.Add("wide 中文字 and 🚀 rocket\nx", "wide 中文 and 🚀\ny", uint8(10), uint8(3))
	f.Add("a\nb\nc\nd\ne\nf\ng", "", uint8(5), uint8(3))
	f.Add("tab\there\r\nback\bspace", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", uint8(16), uint8(2))
	f.Fuzz(func(t *testing.T, a, b string, w8, h8 uint8) {
		w, h := int(w8%40)+1, int(h8%12)+1
		got, want := onTerminal(w, h, a, b), onTerminal(w, h, b)
		sameCells(t, strconv.Quote(a)+" then "+strconv.Quote(b), want, got, w, h)
	})
}
