package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/guptarohit/asciigraph"
)

// asciiGlyphs maps every non-ASCII glyph the view draws to one ASCII cell,
// so the layout is unchanged. States keep distinct glyphs (X critical, !
// warning, ~ pending, ? no data, + ok) next to their words. A cut name
// ends in "~" (db.queue.total~), never in "." that reads as part of it.
var asciiGlyphs = strings.NewReplacer(
	"✖", "X", "▲", "!", "◔", "~", "◌", "?", "✔", "+", "●", "*", "■", "#",
	"▼", "v", "▶", ">", "◀", "<", "›", ">", "↳", ">", "•", "o", "∙", ".",
	"↑", "^", "↓", "v", "←", "<", "→", ">", "·", ".", "–", "-", "—", "-", "…", "~", "×", "x",
	"─", "-", "│", "|", "╭", "+", "╮", "+", "╰", "+", "╯", "+", "┤", "|", "┼", "+",
	"┬", "+", "┴", "+", "└", "+", "┌", "+", "┐", "+", "┘", "+", "╴", "-", "╶", "-",
	"┊", ":", "█", "#", "▀", "\"", "▄", "_", "⇒", ">", "░", "%", "┄", "=", "◆", "@",
)

// asciiCurve draws graph lines for terminals without box-drawing glyphs.
var asciiCurve = asciigraph.CharSet{
	Horizontal: "-", VerticalLine: "|", ArcDownRight: ".", ArcDownLeft: ".",
	ArcUpRight: "'", ArcUpLeft: "'", EndCap: "-", StartCap: "-", UpRight: "+", DownHorizontal: "+",
}

// toASCII is the last step of an --ascii frame: the mapped glyphs, and "?"
// for anything else outside ASCII (a label from the data, say).
func toASCII(s string) string {
	s = asciiGlyphs.Replace(s)
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
