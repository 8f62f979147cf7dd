package ui

import "strings"

// font is a 3×5 bitmap per character, '#' for ink. Drawn two cells per
// pixel it is 5 lines tall; folded with half blocks it is 3.
var font = map[rune][5]string{
	'0': {"###", "# #", "# #", "# #", "###"},
	'1': {" # ", "## ", " # ", " # ", "###"},
	'2': {"###", "  #", "###", "#  ", "###"},
	'3': {"###", "  #", " ##", "  #", "###"},
	'4': {"# #", "# #", "###", "  #", "  #"},
	'5': {"###", "#  ", "###", "  #", "###"},
	'6': {"###", "#  ", "###", "# #", "###"},
	'7': {"###", "  #", "  #", "  #", "  #"},
	'8': {"###", "# #", "###", "# #", "###"},
	'9': {"###", "# #", "###", "  #", "###"},
	'.': {" ", " ", " ", " ", "#"},
	'%': {"# #", "  #", " # ", "#  ", "# #"},
	'-': {"   ", "   ", "###", "   ", "   "},
	'–': {"   ", "   ", "###", "   ", "   "},
	'k': {"#  ", "# #", "## ", "# #", "# #"},
	'M': {"# #", "###", "###", "# #", "# #"},
	'G': {"###", "#  ", "# #", "# #", "###"},
	' ': {"  ", "  ", "  ", "  ", "  "},
}

// sevenSeg is the 3-line font for --ascii, where half blocks do not exist:
// the classic seven-segment digits drawn with _ and |.
var sevenSeg = map[rune][3]string{
	'0': {" _ ", "| |", "|_|"}, '1': {"   ", "  |", "  |"}, '2': {" _ ", " _|", "|_ "},
	'3': {" _ ", " _|", " _|"}, '4': {"   ", "|_|", "  |"}, '5': {" _ ", "|_ ", " _|"},
	'6': {" _ ", "|_ ", "|_|"}, '7': {" _ ", "  |", "  |"}, '8': {" _ ", "|_|", "|_|"},
	'9': {" _ ", "|_|", " _|"}, '.': {" ", " ", "."}, '%': {"o /", " / ", "/ o"},
	'-': {"   ", " _ ", "   "}, '–': {"   ", " _ ", "   "}, 'k': {"   ", "|_/", "| \\"},
	'M': {"   ", "|v|", "| |"}, 'G': {" _ ", "|  ", "|_|"}, ' ': {" ", " ", " "},
}

func drawSevenSeg(s string) []string {
	out := make([]string, 3)
	for _, r := range s {
		if g, ok := sevenSeg[r]; ok {
			for y := range out {
				out[y] += g[y] + " "
			}
		}
	}
	return out
}

// bigText draws s in the digit font, rows lines tall (5 or 3), at most w
// cells wide: two cells per pixel when that fits, else one. Characters
// the font lacks are left out. It returns nil when nothing fits. With
// ascii, 5 lines are drawn with # and 3 lines in seven segments.
func bigText(s string, rows, w int, ascii bool) []string {
	if ascii && rows == 3 {
		if lines := drawSevenSeg(s); len(lines[0]) <= w {
			return lines
		}
		return nil
	}
	for _, scale := range []int{2, 1} {
		lines := drawBig(s, rows, scale)
		if len(lines) > 0 && len([]rune(lines[0])) <= w {
			return lines
		}
	}
	return nil
}

func drawBig(s string, rows, scale int) []string {
	var px [5]string // the bitmap rows of the whole string
	for i, r := range s {
		g, ok := font[r]
		if !ok {
			continue
		}
		for y := range px {
			if i > 0 {
				px[y] += " "
			}
			px[y] += g[y]
		}
	}
	ink := func(y, x int) bool { return y < 5 && px[y][x] == '#' }
	var out []string
	switch rows {
	case 5:
		for y := range 5 {
			var b strings.Builder
			for x := range len(px[y]) {
				c := " "
				if ink(y, x) {
					c = "█"
				}
				b.WriteString(strings.Repeat(c, scale))
			}
			out = append(out, b.String())
		}
	case 3:
		for y := 0; y < 5; y += 2 {
			var b strings.Builder
			for x := range len(px[y]) {
				top, bottom := ink(y, x), ink(y+1, x)
				c := " "
				switch {
				case top && bottom:
					c = "█"
				case top:
					c = "▀"
				case bottom:
					c = "▄"
				}
				b.WriteString(strings.Repeat(c, scale))
			}
			out = append(out, b.String())
		}
	}
	return out
}
