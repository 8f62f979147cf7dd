package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/verdict"
)

const bothLine = "LOAD: API requests x3.0 since 09:59:02 (x2.9 of last week) -> scale or shed load | " +
	"QUERY REGRESSION: DB docs examined per request x12 since 09:59:02; top shape cctv.events find {camera_id: ?, ts: {$gte: ?}} COLLSCAN by server-c, 71% of active time (4% before)"

func withVerdict(kind verdict.Kind, line string) *monitor.Snapshot {
	s := incidentSnapshot()
	s.Verdict = &monitor.Verdict{Kind: kind, Line: line, Onset: fixedNow.Add(-128e9)}
	return s
}

func TestVerdictGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m := sized(t, Options{NoColor: true, Who: text.Clean("ana")}, size.w, size.h)
			m = step(t, m, snapshotMsg{withVerdict(verdict.Both, bothLine)})
			got := screen(m)
			lines := strings.Split(got, "\n")
			if len(lines) != size.h {
				t.Errorf("view has %d lines, want %d", len(lines), size.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size.w {
					t.Errorf("line %d is %d cells wide, want at most %d: %q", i, w, size.w, l)
				}
			}
			// The verdict sits right under the banner, the load clause first.
			if !strings.HasPrefix(lines[2], "⇒ LOAD: API requests x3.0 since 09:59:02") {
				t.Errorf("line 3 is %q, want the verdict", lines[2])
			}
			if !strings.Contains(got, "QUERY REGRESSION: DB docs examined per request x12") {
				t.Error("the regression clause is missing")
			}
			golden(t, got)
		})
	}
}

func TestNoVerdictNoLine(t *testing.T) {
	got := screen(sized(t, Options{NoColor: true}, 120, 40))
	if strings.Contains(got, "⇒") {
		t.Errorf("a verdict line without a verdict:\n%s", got)
	}
}

func TestTheVerdictKeyAsksTheEngine(t *testing.T) {
	ex := &explainActions{}
	m := sized(t, Options{NoColor: true, Who: text.Clean("ana"), Actions: ex}, 120, 40)
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
	if cmd == nil {
		t.Fatal("v gave no command")
	}
	msg := cmd()
	m = step(t, next.(Model), msg)
	if ex.asked != 1 || ex.who != "ana" {
		t.Errorf("Explain called %d times by %q, want once by ana", ex.asked, ex.who)
	}
	if got := screen(m); !strings.Contains(got, "verdict on") {
		t.Errorf("no confirmation of the verdict key:\n%s", got)
	}
}

type explainActions struct {
	fakeActions
	asked int
	who   string
}

func (e *explainActions) Explain(who string) bool {
	e.asked++
	e.who = who
	return true
}

// TestLastWeekGolden draws the API CPU with last week's line under it, as
// the CloudWatch source fetches it (main.cpu.last_week, shifted a week).
func TestLastWeekGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := withVerdict(verdict.Load, "LOAD: API requests x3.0 since 09:59:02 (x2.9 of last week); DB work per request steady -> scale or shed load")
			s.Series["main.cpu.last_week"] = ramp(10*time.Minute, time.Minute, func(age time.Duration) float64 { return 25 })
			m := sized(t, Options{NoColor: true, Who: text.Clean("ana")}, size.w, size.h)
			m = step(t, m, snapshotMsg{s})
			got := screen(m)
			if !strings.Contains(got, "API server CPU (main)  85.0%  x3.4 of last week") {
				t.Errorf("no last-week factor in the title:\n%s", got)
			}
			if !strings.Contains(got, "·") {
				t.Errorf("no last-week line:\n%s", got)
			}
			golden(t, got)
		})
	}
}

// A name with a hyphen (api-main, server-c) is one word: the verdict is
// wrapped between words, never at a name's hyphen, at any width.
func TestTheVerdictNeverBreaksANameAtItsHyphen(t *testing.T) {
	line := "QUERY REGRESSION: DB docs examined per request x601 since 10:13:58; top shape app.orders find {user_id: ?} by api-main, 61% of active time (33% before) -> ask server-c"
	snap := &monitor.Snapshot{Verdict: &monitor.Verdict{Kind: verdict.Regression, Line: line}}
	th := newTheme(themeOptions{noColor: true})
	for w := 60; w <= 160; w++ {
		lines := verdictLines(snap, w, 3, th)
		for i, l := range lines {
			l = strings.TrimRight(ansi.Strip(l), " ")
			if strings.HasSuffix(l, "api-") || strings.HasSuffix(l, "server-") || strings.HasSuffix(l, "-") && i < len(lines)-1 {
				t.Errorf("width %d: line %d ends inside a name: %q", w, i, l)
			}
		}
	}
}
