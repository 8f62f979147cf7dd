package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitAgreesWithTheExactMeasure(t *testing.T) {
	lines := []string{
		"plain ascii line",
		"\x1b[38;5;33m╭─ API server CPU ─╮\x1b[m",
		"│ 100┤      ╭──╯ •• ┊ ▼paused server-c",
		"✖ CRITICAL FIRING  db-cpu-high  ↳ peak …",
		"wide 漢字 here",
		"e\u0301 combining",
		"\x1b]8;;https://example.com\x07link\x1b]8;;\x07 text",
		"⠁⠂⠄ braille ▁▂▃█",
		"",
	}
	for _, s := range lines {
		for w := 0; w <= 45; w++ {
			if got, want := fit(s, w, "…"), ansi.Truncate(s, w, "…"); ansi.StringWidth(got) != ansi.StringWidth(want) || ansi.Strip(got) != ansi.Strip(want) {
				t.Fatalf("fit(%q, %d) = %q, ansi.Truncate gives %q", s, w, got, want)
			}
		}
	}
}
