package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/guptarohit/asciigraph"
)

// theme holds every style the view uses. Colour is only ever a second
// signal: each state also has a glyph or a word, so a monochrome terminal
// (or NO_COLOR, which the Bubble Tea renderer honours by downgrading the
// colour profile) loses nothing but the colour.
type theme struct {
	noColor    bool
	colorblind bool
	ascii      bool

	title    lipgloss.Style // "stormwatch"
	label    lipgloss.Style // the snapshot label, in reverse video
	dim      lipgloss.Style
	bold     lipgloss.Style
	critical lipgloss.Style
	warning  lipgloss.Style
	ok       lipgloss.Style
	stale    lipgloss.Style
	selected lipgloss.Style
	key      lipgloss.Style // key names in the footer and help
	paused   lipgloss.Style // the PAUSED / FROZEN / REPLAY marker
}

type themeOptions struct {
	noColor    bool
	colorblind bool // blue/orange, never red against green
	light      bool // the terminal's background is light
	ascii      bool
	presenter  bool // high contrast: nothing faint
}

// hue is a panel colour in both renderers: a lipgloss colour string and
// the asciigraph colour (ANSI 0-255).
type hue struct {
	ansi  string
	graph asciigraph.AnsiColor
}

// palettes map a panel colour name to a hue. The colour-blind palette
// swaps red for orange and green for a sky blue (Okabe-Ito), so no
// reading depends on telling red from green; 256-colour values are
// downgraded by the renderer on 16-colour terminals.
var (
	defaultPalette = map[string]hue{
		"blue":    {"4", asciigraph.Blue},
		"red":     {"1", asciigraph.Red},
		"green":   {"2", asciigraph.Green},
		"yellow":  {"3", asciigraph.Yellow},
		"magenta": {"5", asciigraph.Magenta},
		"cyan":    {"6", asciigraph.Cyan},
	}
	colorblindPalette = map[string]hue{
		"blue":    {"4", asciigraph.Blue},
		"red":     {"208", asciigraph.AnsiColor(208)}, // orange
		"green":   {"39", asciigraph.AnsiColor(39)},   // sky blue
		"yellow":  {"220", asciigraph.AnsiColor(220)},
		"magenta": {"5", asciigraph.Magenta},
		"cyan":    {"6", asciigraph.Cyan},
	}
)

// memberColors colour the second and later members of a panel.
var memberColors = []string{"yellow", "magenta", "cyan", "green"}

func newTheme(o themeOptions) theme {
	s := lipgloss.NewStyle
	t := theme{
		noColor:    o.noColor,
		colorblind: o.colorblind,
		ascii:      o.ascii,
		title:      s().Bold(true),
		label:      s().Reverse(true).Bold(true),
		dim:        s().Faint(true),
		bold:       s().Bold(true),
		critical:   s().Bold(true),
		warning:    s().Bold(true),
		ok:         s(),
		stale:      s(),
		selected:   s().Reverse(true),
		key:        s().Bold(true),
		paused:     s().Reverse(true).Bold(true),
	}
	if o.presenter {
		t.dim = s() // faint text is unreadable on a projector
		t.ok = s().Bold(true)
	}
	if o.noColor {
		return t
	}
	crit, warn, ok, title := "1", "3", "2", "6"
	if o.colorblind {
		crit, ok = "208", "39"
	}
	if o.light {
		// Yellow and cyan vanish on white: darker shades of the same hues.
		warn, title = "130", "4"
		if o.colorblind {
			crit, ok = "166", "25"
		}
	}
	t.title = t.title.Foreground(lipgloss.Color(title))
	t.critical = t.critical.Foreground(lipgloss.Color(crit))
	t.warning = t.warning.Foreground(lipgloss.Color(warn))
	t.ok = t.ok.Foreground(lipgloss.Color(ok))
	t.stale = t.stale.Foreground(lipgloss.Color(warn))
	return t
}

func (t theme) hue(name string) (hue, bool) {
	p := defaultPalette
	if t.colorblind {
		p = colorblindPalette
	}
	h, ok := p[name]
	return h, ok && !t.noColor
}

// color returns the lipgloss colour for a panel colour name, or nil when
// colour is off or the name is unknown.
func (t theme) color(name string) color.Color {
	h, ok := t.hue(name)
	if !ok {
		return nil
	}
	return lipgloss.Color(h.ansi)
}

// graphColor returns the asciigraph colour for a panel colour name.
func (t theme) graphColor(name string) asciigraph.AnsiColor {
	h, ok := t.hue(name)
	if !ok {
		return asciigraph.Default
	}
	return h.graph
}

// fg styles s in the named colour (a no-op without colour).
func (t theme) fg(name string, s string) string {
	c := t.color(name)
	if c == nil {
		return s
	}
	return lipgloss.NewStyle().Foreground(c).Render(s)
}
