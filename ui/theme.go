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
	noColor bool

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
}

// palette maps a panel colour name to an ANSI colour number, which both
// lipgloss and asciigraph understand.
var palette = map[string]struct {
	ansi  string
	graph asciigraph.AnsiColor
}{
	"blue":    {"4", asciigraph.Blue},
	"red":     {"1", asciigraph.Red},
	"green":   {"2", asciigraph.Green},
	"yellow":  {"3", asciigraph.Yellow},
	"magenta": {"5", asciigraph.Magenta},
	"cyan":    {"6", asciigraph.Cyan},
}

// memberColors colour the second and later members of a panel.
var memberColors = []string{"yellow", "magenta", "cyan", "green"}

func newTheme(noColor bool) theme {
	s := lipgloss.NewStyle
	t := theme{
		noColor:  noColor,
		title:    s().Bold(true),
		label:    s().Reverse(true).Bold(true),
		dim:      s().Faint(true),
		bold:     s().Bold(true),
		critical: s().Bold(true),
		warning:  s().Bold(true),
		ok:       s(),
		stale:    s(),
		selected: s().Reverse(true),
		key:      s().Bold(true),
	}
	if noColor {
		return t
	}
	t.title = t.title.Foreground(lipgloss.Color("6"))
	t.critical = t.critical.Foreground(lipgloss.Color("1"))
	t.warning = t.warning.Foreground(lipgloss.Color("3"))
	t.ok = t.ok.Foreground(lipgloss.Color("2"))
	t.stale = t.stale.Foreground(lipgloss.Color("3"))
	return t
}

// color returns the lipgloss colour for a panel colour name, or nil when
// colour is off or the name is unknown.
func (t theme) color(name string) color.Color {
	p, ok := palette[name]
	if t.noColor || !ok {
		return nil
	}
	return lipgloss.Color(p.ansi)
}

// graphColor returns the asciigraph colour for a panel colour name.
func (t theme) graphColor(name string) asciigraph.AnsiColor {
	p, ok := palette[name]
	if t.noColor || !ok {
		return asciigraph.Default
	}
	return p.graph
}

// fg styles s in the named colour (a no-op without colour).
func (t theme) fg(name string, s string) string {
	c := t.color(name)
	if c == nil {
		return s
	}
	return lipgloss.NewStyle().Foreground(c).Render(s)
}
