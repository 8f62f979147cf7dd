package ui

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// fit truncates s to w cells, like ansi.Truncate, but first measures it
// the cheap way: most lines the dashboard builds already fit, and
// ansi.Truncate's grapheme segmentation was most of View's time at
// 250x70 (BENCHMARKS.md).
func fit(s string, w int, tail string) string {
	if n, ok := narrowWidth(s); ok && n <= w {
		return s
	}
	return ansi.Truncate(s, w, tail)
}

// cellWidth is ansi.StringWidth, measured the cheap way when it can be.
func cellWidth(s string) int {
	if n, ok := narrowWidth(s); ok {
		return n
	}
	return ansi.StringWidth(s)
}

// narrowWidth counts the cells of s when every printed rune is one cell
// wide: ASCII, Latin, box drawing, block and braille glyphs (all below
// U+1100 or in U+2500-U+28FF) outside escape sequences. It reports false
// for anything else (wide or combining characters), and the caller falls
// back to the exact measure.
func narrowWidth(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b { // ESC: skip a CSI (ESC [ ... final) or OSC (ESC ] ... BEL / ST)
			if i+1 >= len(s) {
				return 0, false
			}
			switch s[i+1] {
			case '[':
				j := i + 2
				for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
					j++
				}
				i = j + 1
			case ']':
				j := i + 2
				for j < len(s) && s[j] != 0x07 && !(s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\') {
					j++
				}
				if j < len(s) && s[j] == 0x1b {
					j++
				}
				i = j + 1
			default:
				return 0, false
			}
			continue
		}
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return 0, false
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError:
			return 0, false
		case r >= 0x0300 && r <= 0x036f: // combining marks
			return 0, false
		case r < 0x1100, r >= 0x2010 && r <= 0x2027, r >= 0x2190 && r <= 0x23ff && r != 0x231a && r != 0x231b && !(r >= 0x23e9 && r <= 0x23fa),
			r >= 0x2500 && r <= 0x25ff, r >= 0x2800 && r <= 0x28ff:
			n++
		default:
			return 0, false
		}
		i += size
	}
	return n, true
}
