package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

func TestLightBackgroundChangesTheTheme(t *testing.T) {
	m := sized(t, Options{}, 120, 40)
	dark := m.View().Content
	m = step(t, m, tea.BackgroundColorMsg{Color: white{}})
	if !m.light || m.View().Content == dark {
		t.Errorf("a white background left the dark theme (light=%v)", m.light)
	}
	if ansi.Strip(m.View().Content) != ansi.Strip(dark) {
		t.Error("the light theme changed what is said, not only how")
	}
	fixed := sized(t, Options{Theme: "dark"}, 120, 40)
	fixed = step(t, fixed, tea.BackgroundColorMsg{Color: white{}})
	if fixed.light {
		t.Error("theme dark was overridden by the terminal's answer")
	}
}

type white struct{}

func (white) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

// Bubble Tea picks the profile with colorprofile.Detect; this pins down
// that NO_COLOR leaves attributes and drops every colour.
func TestNoColorDropsColourButKeepsAttributes(t *testing.T) {
	p := colorprofile.Env([]string{"TERM=xterm-256color", "NO_COLOR=1"})
	if p != colorprofile.ASCII {
		t.Fatalf("NO_COLOR gives profile %v, want ASCII", p)
	}
	var b strings.Builder
	w := colorprofile.Writer{Forward: &b, Profile: p}
	w.WriteString(sized(t, Options{}, 120, 40).View().Content)
	if regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;5;\d+)m`).MatchString(b.String()) {
		t.Error("a colour survived NO_COLOR")
	}
	if !strings.Contains(b.String(), "\x1b[1") && !strings.Contains(b.String(), "\x1b[7") {
		t.Error("NO_COLOR dropped bold and reverse too")
	}
}

func TestColourBlindPaletteHasNoRedOrGreen(t *testing.T) {
	out := through256(sized(t, Options{Palette: "colorblind"}, 120, 40).View().Content)
	redGreen := regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(31|32|91|92|38;5;(1|2|9|10|196|46))m`)
	if m := redGreen.FindString(out); m != "" {
		t.Errorf("the colour-blind palette still uses %q", m)
	}
	if !strings.Contains(out, "38;5;208") {
		t.Error("the DB graph is not orange")
	}
}

func TestASCIIModeIsASCII(t *testing.T) {
	for _, keys := range [][]string{nil, {"p"}, {"?"}, {"tab", "enter"}} {
		m := sized(t, Options{NoColor: true, ASCII: true}, 120, 40)
		for _, k := range keys {
			m = step(t, m, press(k))
		}
		got := screen(m)
		if !isASCII(got) {
			t.Errorf("keys %v: non-ASCII in --ascii view:\n%s", keys, got)
		}
		if !strings.Contains(got, "X CRITICAL FIRING") {
			t.Errorf("keys %v: the state glyph is gone:\n%s", keys, got)
		}
	}
}
