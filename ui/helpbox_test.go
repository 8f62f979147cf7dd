package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/text"
)

// The help of a dashboard that may act (x, k, c, R, u enabled) ran off the
// right edge at 80 and 120 columns and lost its last rows at 80x24: the
// real binary showed "o  overlay requests/ops/" and no closing border.
func TestHelpWithActionsFitsTheScreen(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {100, 30}, {120, 40}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			o := Options{NoColor: true, Who: text.Clean("ana"), Fixer: demoFixer(), Actions: &fakeActions{}}
			m := sizedWith(t, o, size.w, size.h, culpritSnapshot())
			m = step(t, m, press("?"))
			got := ansi.Strip(m.View().Content)
			checkFills(t, got, size.w, size.h)
			for _, want := range []string{"explain the", "stop the", "undo the", "quit", "? or esc closes this help", "╮", "╯"} {
				if !strings.Contains(got, want) {
					t.Errorf("help lacks %q:\n%s", want, got)
				}
			}
			for i, l := range strings.Split(got, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "│") && !strings.HasSuffix(strings.TrimSpace(l), "│") {
					t.Errorf("line %d of the help box has no right border: %q", i, l)
				}
			}
			if size.w == 80 {
				golden(t, got)
			}
		})
	}
}
