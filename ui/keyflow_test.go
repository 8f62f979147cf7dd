package ui

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// header is the first line of the screen.
func header(m Model) string { return strings.SplitN(screen(m), "\n", 2)[0] }

// footerLine is the last line of the screen.
func footerLine(m Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-1]
}

// runCmd presses k and feeds the message its command returns back in.
func runCmd(t *testing.T, m Model, k string) Model {
	t.Helper()
	next, cmd := m.Update(press(k))
	m = next.(Model)
	if cmd == nil {
		t.Fatalf("%s returned no command", k)
	}
	return step(t, m, cmd())
}

func TestRangeKeys(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	for _, tt := range []struct{ key, want string }{
		{"2", "15m"}, {"]", "1h"}, {"]", "3h"}, {"[", "1h"}, {"5", "12h"}, {"]", "12h"}, {"1", "5m"}, {"[", "5m"},
	} {
		m = step(t, m, press(tt.key))
		if !strings.Contains(header(m), " "+tt.want+"  ● LIVE") {
			t.Errorf("after %q the header is %q, want range %s", tt.key, header(m), tt.want)
		}
	}
}

func TestLongRangesLabelTheAxisWithClockTimes(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	if got := screen(m); !strings.Contains(got, "-4m") || !strings.Contains(got, "now") {
		t.Errorf("5m range lacks relative ticks:\n%s", got)
	}
	m = step(t, m, press("3"))
	got := screen(m)
	for _, want := range []string{"09:15", "09:30", "09:45", "10:00"} {
		if !strings.Contains(got, want) {
			t.Errorf("1h range lacks the tick %s:\n%s", want, got)
		}
	}
	m = step(t, m, press("t"))
	if got := screen(m); !strings.Contains(got, "10:15") || !strings.Contains(header(m), "11:01:10 CET") {
		t.Errorf("t did not move the clock and ticks to local time:\n%s", got)
	}
}

func TestPanBackAndReturnToLive(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	m = step(t, m, press("left"))
	if got := header(m); !strings.Contains(got, "◀ PAUSED at 09:59:55 UTC") {
		t.Fatalf("← did not pause a quarter range back: %q", got)
	}
	m = step(t, m, press("left"))
	if got := header(m); !strings.Contains(got, "PAUSED at 09:58:40 UTC") {
		t.Errorf("a second ← = %q", got)
	}
	// New data does not move a paused window.
	m = step(t, m, snapshotMsg{laterSnapshot()})
	if got := header(m); !strings.Contains(got, "PAUSED at 09:58:40 UTC") {
		t.Errorf("a new snapshot moved the paused window: %q", got)
	}
	m = step(t, m, press("right"))
	m = step(t, m, press("right"))
	if got := header(m); !strings.Contains(got, "PAUSED at 10:01:10 UTC") {
		t.Errorf("→ twice = %q", got)
	}
	m = step(t, m, press("right"))
	if got := header(m); !strings.Contains(got, "● LIVE") {
		t.Errorf("→ past now did not return to live: %q", got)
	}
	for _, k := range []string{"end", "L"} {
		m = step(t, m, press("left"))
		m = step(t, m, press(k))
		if got := header(m); !strings.Contains(got, "● LIVE") {
			t.Errorf("%s did not return to live: %q", k, got)
		}
	}
}

func TestFreezeKeepsThePictureButNotTheAlerts(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	m = step(t, m, press("space"))
	if got := header(m); !strings.Contains(got, "■ FROZEN 10:01:10 UTC") {
		t.Fatalf("space did not freeze: %q", got)
	}
	before := m.bells
	next, cmd := m.Update(snapshotMsg{laterSnapshot()})
	m = next.(Model)
	if m.bells != before+1 || cmd == nil {
		t.Errorf("a new firing alert under a frozen picture rang %d bells, want 1", m.bells-before)
	}
	got := screen(m)
	if !strings.Contains(got, "FIRING  api-cpu-high") {
		t.Errorf("the banner does not show the new alert while frozen:\n%s", got)
	}
	if !strings.Contains(got, "API server CPU (main)  85.0%") || !strings.Contains(got, "polling ● live · view frozen") {
		t.Errorf("the frozen picture moved, or the status line does not say polling goes on:\n%s", got)
	}
	m = step(t, m, press("space"))
	if got := header(m); !strings.Contains(got, "● LIVE  10:01:40 UTC") {
		t.Errorf("space again did not return to the live picture: %q", got)
	}
}

type fakePlayback struct {
	paused bool
	steps  int
}

func (f *fakePlayback) Paused() bool   { return f.paused }
func (f *fakePlayback) TogglePause()   { f.paused = !f.paused }
func (f *fakePlayback) Step()          { f.paused = true; f.steps++ }
func (f *fakePlayback) Speed() float64 { return 10 }

func TestSpaceAndDotDriveAReplay(t *testing.T) {
	pb := &fakePlayback{}
	m := sized(t, Options{NoColor: true, Playback: pb}, 120, 40)
	if got := header(m); !strings.Contains(got, "▶ REPLAY 10x") {
		t.Errorf("header = %q, want REPLAY 10x", got)
	}
	// The footer offered "space freeze" in a replay, where space pauses.
	if got := screen(m); !strings.Contains(got, "space pause/play") || strings.Contains(got, "space freeze") {
		t.Errorf("the footer does not say space pauses the replay:\n%s", got)
	}
	m = step(t, m, press("space"))
	if !pb.paused || !strings.Contains(header(m), "■ REPLAY paused") || m.frozen != nil {
		t.Errorf("space did not pause the replay (paused=%v): %q", pb.paused, header(m))
	}
	m = step(t, m, press("."))
	m = step(t, m, press("."))
	if pb.steps != 2 {
		t.Errorf(". stepped %d times, want 2", pb.steps)
	}
	m = step(t, m, press("space"))
	if pb.paused || !strings.Contains(header(m), "REPLAY 10x") {
		t.Errorf("space did not resume the replay: %q", header(m))
	}
}

func TestZoomShowsOnlyTheFocusedPanel(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	m = step(t, m, press("tab"))
	if got := screen(m); !strings.Contains(got, "▶ DB server CPU") {
		t.Errorf("tab did not move the focus to the DB CPU graph:\n%s", got)
	}
	m = step(t, m, press("enter"))
	got := screen(m)
	if !strings.Contains(got, "DB server CPU") || strings.Contains(got, "API server CPU") || strings.Contains(got, "alerts  ") {
		t.Errorf("enter did not zoom the DB CPU graph alone:\n%s", got)
	}
	m = step(t, m, press("esc"))
	if got := screen(m); !strings.Contains(got, "API server CPU") || !strings.Contains(got, "DB server CPU") {
		t.Errorf("esc did not return to every panel:\n%s", got)
	}
	for _, tt := range []struct {
		tabs int
		want string
	}{{2, "DB detail  zoomed"}, {3, "2 firing · 3 listed"}, {4, "tables  zoomed"}, {5, "API server CPU"}} {
		m := sized(t, Options{NoColor: true}, 120, 40)
		for range tt.tabs {
			m = step(t, m, press("tab"))
		}
		m = step(t, m, press("enter"))
		if got := screen(m); !strings.Contains(got, tt.want) {
			t.Errorf("after %d tabs the zoom lacks %q:\n%s", tt.tabs, tt.want, got)
		}
	}
	m = step(t, sized(t, Options{NoColor: true}, 120, 40), press("shift+tab"))
	if m.focus != focusTables {
		t.Errorf("shift+tab from the first panel focused %v, want the tables", m.focus)
	}
}

func TestMemberFilterCycles(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	for _, want := range []string{"only mongo-1:27017", "only mongo-2:27017", "● LIVE"} {
		m = step(t, m, press("f"))
		if !strings.Contains(header(m), want) {
			t.Errorf("f: header = %q, want %q", header(m), want)
		}
	}
	m = step(t, m, press("f"))
	m = step(t, m, press("f"))
	if got := screen(m); strings.Contains(got, "mongo-1 (P)") || !strings.Contains(got, "DB server CPU  34.0%") {
		t.Errorf("the filter on mongo-2 still draws mongo-1:\n%s", got)
	}
}

func TestPresenterModeIsLargeAndPlain(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	m = step(t, m, press("p"))
	got := screen(m)
	if !strings.Contains(got, "██████") || strings.Contains(got, "timeline") || strings.Contains(got, "ops/s") {
		t.Errorf("p did not show big digits without the fine detail:\n%s", got)
	}
	if !strings.Contains(got, "FIRING  db-cpu-high") {
		t.Errorf("presenter mode lost the banner:\n%s", got)
	}
	m = step(t, m, press("p"))
	if got := screen(m); !strings.Contains(got, "timeline") {
		t.Errorf("p again did not leave presenter mode:\n%s", got)
	}
}

func TestBigDigitsReadTheValue(t *testing.T) {
	got := strings.Join(bigText("97.3%", 5, 80, false), "\n")
	want := strings.Join([]string{
		"██████  ██████      ██████  ██  ██",
		"██  ██      ██          ██      ██",
		"██████      ██        ████    ██  ",
		"    ██      ██          ██  ██    ",
		"██████      ██  ██  ██████  ██  ██",
	}, "\n")
	if got != want {
		t.Errorf("bigText 97.3%% =\n%s\nwant\n%s", got, want)
	}
	if got := bigText("97.3%", 3, 80, false); len(got) != 3 {
		t.Errorf("the 3-line font has %d lines", len(got))
	}
	if got := strings.Join(bigText("97.3%", 3, 80, true), "\n"); got != " _   _     _  o / \n|_|   |    _|  /  \n _|   | .  _| / o " {
		t.Errorf("the ASCII 3-line font =\n%s", got)
	}
	if got := bigText("12345", 5, 10, false); got != nil {
		t.Errorf("digits wider than the box were drawn: %q", got)
	}
}

func TestHelpListsEveryKeyAndEscClosesIt(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 80, 24)
	m = step(t, m, press("?"))
	got := screen(m)
	for _, b := range []string{"1-5", "[", "]", "←", "→", "end/L", "space", "tab", "shift+tab", "enter", "esc",
		"f", "p", "t", "r", "e", ".", "a", "s", "n", "m", "q"} {
		if !regexp.MustCompile(`│ (\S+ +\S.*? +)?` + regexp.QuoteMeta(b) + ` +\S`).MatchString(got) {
			t.Errorf("help at 80x24 lacks the key %q:\n%s", b, got)
		}
	}
	m = step(t, m, press("esc"))
	if strings.Contains(screen(m), "closes this help") {
		t.Error("esc did not close the help")
	}
}

func TestReload(t *testing.T) {
	calls := 0
	ok := func() (Settings, error) {
		calls++
		return Settings{Range: 15 * time.Minute, Bell: BellOff}, nil
	}
	m := sized(t, Options{NoColor: true, Reload: ok}, 120, 40)
	m = runCmd(t, m, "r")
	if calls != 1 || !strings.Contains(footerLine(m), "config reloaded") || !strings.Contains(header(m), "15m") || m.opts.Bell != BellOff {
		t.Errorf("r: calls=%d bell=%q footer=%q header=%q", calls, m.opts.Bell, footerLine(m), header(m))
	}

	bad := func() (Settings, error) {
		return Settings{}, errors.New("bad.yaml:3: alerts.rules[0].op: \">>\"\nmore")
	}
	m = sized(t, Options{NoColor: true, Reload: bad}, 120, 40)
	next, cmd := m.Update(RequestReload()) // what SIGHUP sends
	m = step(t, next.(Model), cmd())
	if got := footerLine(m); !strings.Contains(got, `reload failed, old config kept: bad.yaml:3: alerts.rules[0].op: ">>"`) ||
		strings.Contains(got, "more") || !strings.Contains(header(m), "5m") {
		t.Errorf("a failed reload: footer %q, header %q", got, header(m))
	}
}

func TestExportWritesTheSnapshotOnScreen(t *testing.T) {
	var got *monitor.Snapshot
	export := func(s *monitor.Snapshot) (string, error) { got = s; return "/state/timeline-20261127T100110Z.md", nil }
	m := sized(t, Options{NoColor: true, Export: export}, 120, 40)
	m = step(t, m, press("space"))
	m = step(t, m, snapshotMsg{laterSnapshot()})
	m = runCmd(t, m, "e")
	if got == nil || got.Seq != 42 {
		t.Errorf("export got %v, want the frozen snapshot (seq 42)", got)
	}
	if !strings.Contains(footerLine(m), "timeline written to /state/timeline-20261127T100110Z.md") {
		t.Errorf("footer = %q", footerLine(m))
	}
	failing := func(*monitor.Snapshot) (string, error) {
		return "", errors.New("export timeline: read-only file system")
	}
	m = sized(t, Options{NoColor: true, Export: failing}, 120, 40)
	m = runCmd(t, m, "e")
	if !strings.Contains(footerLine(m), "export failed: export timeline: read-only file system") {
		t.Errorf("footer = %q", footerLine(m))
	}
}

func TestNarrowTerminalKeepsBothGraphsAndTheNewestAlert(t *testing.T) {
	for _, keys := range [][]string{nil, {"space"}, {"left"}, {"p"}} {
		m := sized(t, Options{NoColor: true}, 80, 24)
		for _, k := range keys {
			m = step(t, m, press(k))
		}
		m = step(t, m, snapshotMsg{laterSnapshot()})
		got := screen(m)
		if !strings.Contains(got, "API server CPU") || !strings.Contains(got, "DB server CPU") ||
			!strings.Contains(got, "FIRING  api-cpu-high") {
			t.Errorf("keys %v at 80x24 lack a graph or the newest alert:\n%s", keys, got)
		}
	}
}

func TestStatusLineShowsFactsAndViewers(t *testing.T) {
	s := incidentSnapshot()
	s.Sources[0].Facts = []sources.Fact{{Key: "api usage", Value: text.Clean("3 calls")}, {Key: "main.cpu", Value: text.Clean("data as of 10:00 UTC, 5-min resolution")}}
	s.Viewers = []string{"alice", "bob", "bob"}
	m := New(Options{NoColor: true, Location: testZone})
	m = step(t, m, tea.WindowSizeMsg{Width: 200, Height: 40})
	m = step(t, m, snapshotMsg{s})
	got := screen(m)
	for _, want := range []string{"main ok · main.cpu data as of 10:00 UTC, 5-min resolution", "watching: alice, bob ×2",
		"10:01:10 UTC / 11:01:10 CET"} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
}

func TestReloadReplacesTheBellAlarms(t *testing.T) {
	none := []string{}
	reload := func() (Settings, error) { return Settings{BellAlarms: &none}, nil }
	m := sized(t, Options{NoColor: true, Reload: reload, BellAlarms: []string{"prod-*"}}, 120, 40)
	m = runCmd(t, m, "r")
	if m.opts.BellAlarms == nil || len(m.opts.BellAlarms) != 0 {
		t.Errorf("BellAlarms after reload = %#v, want none ringing", m.opts.BellAlarms)
	}
	keep := func() (Settings, error) { return Settings{}, nil }
	m = sized(t, Options{NoColor: true, Reload: keep, BellAlarms: []string{"prod-*"}}, 120, 40)
	m = runCmd(t, m, "r")
	if len(m.opts.BellAlarms) != 1 {
		t.Errorf("a reload without the field changed BellAlarms to %#v", m.opts.BellAlarms)
	}
}
