package check

import (
	"strings"
	"testing"
)

func TestTerminalChecks(t *testing.T) {
	cases := []struct {
		name string
		t    Terminal
		want string
		text string // in the failing or notable line
	}{
		{"a 256-colour UTF-8 terminal", aTerminal, "pass pass pass", "ANSI256"},
		{"a pipe", Terminal{Lang: "C"}, "skip skip skip", "not a terminal"},
		{"NO_COLOR", Terminal{IsTerminal: true, NoColor: true, Profile: "Ascii", LCAll: "C.UTF-8", Width: 80, Height: 24}, "pass pass pass", "NO_COLOR"},
		{"LC_ALL overrides LANG", Terminal{IsTerminal: true, Profile: "TrueColor", LCAll: "POSIX", Lang: "en_US.UTF-8", Width: 120, Height: 40}, "pass fail pass", "LC_ALL=POSIX"},
		{"LC_CTYPE before LANG", Terminal{IsTerminal: true, Profile: "ANSI", LCType: "en_US.utf8", Lang: "C", Width: 120, Height: 40}, "pass pass pass", "LC_CTYPE=en_US.utf8"},
		{"no locale at all", Terminal{IsTerminal: true, Profile: "ANSI", Width: 120, Height: 40}, "pass fail pass", "no locale set"},
		{"ASCII mode needs no UTF-8", Terminal{IsTerminal: true, Profile: "ANSI", Lang: "C", ASCII: true, Width: 120, Height: 40}, "pass pass pass", "ui.ascii"},
		{"a small window", Terminal{IsTerminal: true, Profile: "ANSI", Lang: "C.UTF-8", Width: 79, Height: 30}, "pass pass fail", "79x30"},
		{"a dumb terminal", Terminal{IsTerminal: true, Profile: "Ascii", Lang: "C.UTF-8", Width: 80, Height: 24}, "pass pass pass", "TERM"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckTerminal(c.t)
			if s := statuses(got); s != c.want {
				t.Errorf("statuses %q, want %q\n%+v", s, c.want, got)
			}
			var all strings.Builder
			for _, r := range got {
				all.WriteString(r.Detail + " " + r.Fix + "\n")
			}
			if !strings.Contains(all.String(), c.text) {
				t.Errorf("no %q in\n%s", c.text, all.String())
			}
		})
	}
}

func TestTheJSONShapeIsStable(t *testing.T) {
	goldenJSON(t, nil, nil)
	var b strings.Builder
	WriteText(&b, "stormwatch check: x", nil, 0)
	if !strings.Contains(b.String(), "0 passed, 0 failed, 0 skipped") {
		t.Error(b.String())
	}
}
