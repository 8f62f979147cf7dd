package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// laterSnapshot is the incident 30 s on: the API CPU alert has fired.
func laterSnapshot() *monitor.Snapshot {
	s := *incidentSnapshot()
	s.Seq++
	s.At = fixedNow.Add(30 * time.Second)
	s.Alerts = append([]monitor.AlertView(nil), s.Alerts...)
	s.Alerts[1].State, s.Alerts[1].Since, s.Alerts[1].Value = alert.Firing, s.At, 91
	s.Alerts[1].Severity = alert.Critical
	s.Timeline = append(append([]monitor.Event(nil), s.Timeline...), monitor.Event{At: s.At, Kind: monitor.EventAlert,
		Severity: alert.Critical, State: "FIRING", Subject: "api-cpu-high main.cpu", Value: 91,
		Rule: "api-cpu-high", Key: "main.cpu", Op: alert.Above})
	return &s
}

// modes are the screens every golden size and profile is checked in.
var modes = []struct {
	name string
	o    Options
	keys []string
	then *monitor.Snapshot // a snapshot that arrives after the keys
}{
	{name: "normal"},
	{name: "zoomed", keys: []string{"tab", "enter"}},
	{name: "presenter", o: Options{Presenter: true}},
	{name: "help", keys: []string{"?"}},
	{name: "frozen", keys: []string{"space"}, then: laterSnapshot()},
	{name: "paused", keys: []string{"2", "left"}},
	{name: "ascii", o: Options{ASCII: true}},
	{name: "ascii-presenter", o: Options{ASCII: true, Presenter: true}},
}

func modeModel(t *testing.T, o Options, keys []string, then *monitor.Snapshot, w, h int) Model {
	t.Helper()
	o.Who = text.Clean("ana")
	m := sized(t, o, w, h)
	for _, k := range keys {
		m = step(t, m, press(k))
	}
	if then != nil {
		m = step(t, m, snapshotMsg{then})
	}
	return m
}

// through256 renders a frame the way a 256-colour terminal receives it.
func through256(s string) string {
	var b bytes.Buffer
	w := colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
	fmt.Fprint(&w, s)
	return b.String()
}

func TestModesGolden(t *testing.T) {
	for _, md := range modes {
		for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {200, 60}} {
			for _, profile := range []string{"none", "256"} {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", md.name, size.w, size.h, profile), func(t *testing.T) {
					o := md.o
					o.NoColor = profile == "none"
					m := modeModel(t, o, md.keys, md.then, size.w, size.h)
					raw := m.View().Content
					plain := ansi.Strip(raw)
					checkFills(t, plain, size.w, size.h)
					if profile == "none" {
						golden(t, plain)
						return
					}
					golden(t, through256(raw))
				})
			}
		}
	}
}

// checkFills fails unless the frame is exactly w×h cells or narrower.
func checkFills(t *testing.T, plain string, w, h int) {
	t.Helper()
	lines := strings.Split(plain, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide, want at most %d: %q", i, lw, w, l)
		}
	}
}
