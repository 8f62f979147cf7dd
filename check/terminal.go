package check

import (
	"fmt"
	"strings"
)

// Terminal is what the CLI found out about the terminal stormwatch writes to.
type Terminal struct {
	IsTerminal    bool
	Profile       string // colour profile: TrueColor, ANSI256, ANSI, Ascii, NoTTY
	NoColor       bool   // NO_COLOR is set
	LCAll, LCType string // LC_ALL, LC_CTYPE
	Lang          string // LANG
	ASCII         bool   // ui.ascii in the config: no Unicode needed
	Width, Height int
}

// The smallest screen the dashboard lays out for.
const minWidth, minHeight = 80, 24

// CheckTerminal returns the colour, locale and size lines. When stdout is not
// a terminal (a pipe, a script) they are skipped: what matters is the
// terminal the dashboard will run in.
func CheckTerminal(t Terminal) []Result {
	const colours, locale, size = "terminal colours", "terminal UTF-8", "terminal size"
	if !t.IsTerminal {
		why := "stdout is not a terminal: run stormwatch check in the terminal the dashboard will use"
		return []Result{skip(colours, why), skip(locale, why), skip(size, why)}
	}
	return []Result{colourLine(colours, t), localeLine(locale, t), sizeLine(size, t)}
}

func colourLine(name string, t Terminal) Result {
	switch {
	case t.NoColor:
		return pass(name, "none (NO_COLOR is set): states are shown in words and glyphs too")
	case t.Profile == "TrueColor" || t.Profile == "ANSI256" || t.Profile == "ANSI":
		return pass(name, t.Profile)
	}
	r := pass(name, "none ("+t.Profile+"): states are shown in words and glyphs too")
	r.Fix = "for colour, set TERM to your terminal's type (for example xterm-256color), or run with --color always"
	return r
}

// localeLine reads the locale as the C library does: LC_ALL, then LC_CTYPE,
// then LANG.
func localeLine(name string, t Terminal) Result {
	loc, from := t.LCAll, "LC_ALL"
	if loc == "" {
		loc, from = t.LCType, "LC_CTYPE"
	}
	if loc == "" {
		loc, from = t.Lang, "LANG"
	}
	l := strings.ToLower(loc)
	if strings.Contains(l, "utf-8") || strings.Contains(l, "utf8") {
		return pass(name, fmt.Sprintf("%s=%s", from, loc))
	}
	if t.ASCII {
		return pass(name, "no UTF-8 locale, and ui.ascii is on: ASCII borders and glyphs")
	}
	got := "no locale set"
	if loc != "" {
		got = fmt.Sprintf("%s=%s is not UTF-8", from, loc)
	}
	return fail(name, got+": box lines and graphs would be garbled",
		"export LANG=C.UTF-8 (or en_US.UTF-8), or run with --ascii (ui.ascii: true)")
}

func sizeLine(name string, t Terminal) Result {
	got := fmt.Sprintf("%dx%d", t.Width, t.Height)
	if t.Width >= minWidth && t.Height >= minHeight {
		return pass(name, got)
	}
	return fail(name, fmt.Sprintf("%s, smaller than the %dx%d the dashboard needs", got, minWidth, minHeight),
		fmt.Sprintf("enlarge the window (or the tmux pane) to at least %dx%d", minWidth, minHeight))
}
