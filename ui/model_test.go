package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// fakeActions records what the dashboard asked of the engine.
type fakeActions struct {
	acks, silences, notes, marks []string
	durations                    []time.Duration
}

func (f *fakeActions) Ack(id alert.ID, who string) bool {
	f.acks = append(f.acks, id.Rule+"|"+id.Key+" by "+who)
	return true
}

func (f *fakeActions) AckAlarm(id monitor.AlarmID, who string) bool {
	f.acks = append(f.acks, id.Subject()+"|"+id.Source+" by "+who)
	return true
}

func (f *fakeActions) SilenceAlarm(id monitor.AlarmID, d time.Duration, who string) bool {
	f.silences = append(f.silences, id.Subject()+"|"+id.Source+" by "+who)
	f.durations = append(f.durations, d)
	return true
}

func (f *fakeActions) Silence(id alert.ID, d time.Duration, who string) bool {
	f.silences = append(f.silences, id.Rule+"|"+id.Key+" by "+who)
	f.durations = append(f.durations, d)
	return true
}

func (f *fakeActions) Note(note, who text.Safe) {
	f.notes = append(f.notes, note.String()+" by "+who.String())
}
func (f *fakeActions) Mark(label, who text.Safe) {
	f.marks = append(f.marks, label.String()+" by "+who.String())
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// run presses a key and runs the command it returns, feeding the answer
// back, the way the Bubble Tea runtime would (one level deep).
func run(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		silencing := m.inputMode == inputSilence
		next, cmd := m.Update(press(k))
		m = next.(Model)
		if cmd != nil && (k == "a" || silencing) { // others return a cursor blink that sleeps
			if msg, ok := cmd().(actionMsg); ok {
				m = step(t, m, msg)
			}
		}
	}
	return m
}

func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = step(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

func TestAckCallsActionsWithTheSelectedAlert(t *testing.T) {
	f := &fakeActions{}
	m := sized(t, Options{Actions: f, Who: text.Clean("ana"), NoColor: true}, 120, 40)
	m = run(t, m, "a")
	m = run(t, m, "j")
	m = run(t, m, "a")
	want := []string{"db-cpu-high|db.cpu@mongo-1:27017 by ana", "api-cpu-high|main.cpu by ana"}
	if strings.Join(f.acks, "\n") != strings.Join(want, "\n") {
		t.Errorf("acks = %q, want %q", f.acks, want)
	}
	if !strings.Contains(screen(m), "acked api-cpu-high main.cpu") {
		t.Errorf("footer does not confirm the ack:\n%s", screen(m))
	}
}

func TestSelectionFollowsTheAlertAcrossSnapshots(t *testing.T) {
	f := &fakeActions{}
	m := sized(t, Options{Actions: f, NoColor: true}, 120, 40)
	m = run(t, m, "down")
	s := incidentSnapshot()
	s.Alerts[0], s.Alerts[1] = s.Alerts[1], s.Alerts[0]
	m = step(t, m, snapshotMsg{s})
	m = run(t, m, "a")
	if len(f.acks) != 1 || !strings.HasPrefix(f.acks[0], "api-cpu-high|main.cpu") {
		t.Errorf("acks = %q, want the alert selected before the reorder", f.acks)
	}
}

// Issue 13 case 5: the duration is chosen from a list the footer shows,
// not cycled blindly, and 0 unsilences.
func TestSilenceDurationIsChosen(t *testing.T) {
	f := &fakeActions{}
	m := sized(t, Options{Actions: f, NoColor: true}, 120, 40)
	m = run(t, m, "s")
	if !strings.Contains(screen(m), "silence db-cpu-high db.cpu@mongo-1:27017: 1 15m  2 1h  3 4h  4 12h  0 unsilence  esc cancel") {
		t.Fatalf("s does not offer the durations:\n%s", screen(m))
	}
	m = run(t, m, "4")
	m = run(t, m, "s", "0")
	m = run(t, m, "s", "x")
	m = run(t, m, "s", "1")
	want := []time.Duration{12 * time.Hour, 0, 15 * time.Minute}
	if fmt.Sprint(f.durations) != fmt.Sprint(want) {
		t.Fatalf("silence durations = %v, want %v", f.durations, want)
	}
	if !strings.Contains(screen(m), "silenced db-cpu-high db.cpu@mongo-1:27017 for 15m") {
		t.Errorf("footer does not confirm the silence:\n%s", screen(m))
	}
}

func TestNoteInput(t *testing.T) {
	f := &fakeActions{}
	m := sized(t, Options{Actions: f, Who: text.Clean("ana"), NoColor: true}, 80, 24)
	m = run(t, m, "n")
	if !strings.Contains(screen(m), "note: ") {
		t.Fatalf("n did not open the note input:\n%s", screen(m))
	}
	m = typeText(t, m, "failover to mongo-2 qa")
	if got := screen(m); !strings.Contains(got, "note: failover to mongo-2 qa") || !strings.Contains(got, "esc cancel") {
		t.Errorf("the footer does not show the note being typed:\n%s", got)
	}
	next, cmd := m.Update(press("enter"))
	m = next.(Model)
	if cmd == nil {
		t.Fatal("enter returned no command to send the note")
	}
	cmd()
	if len(f.notes) != 1 || f.notes[0] != "failover to mongo-2 qa by ana" {
		t.Errorf("notes = %q", f.notes)
	}
	if m.inputMode != inputNone || !strings.Contains(screen(m), "q quit") {
		t.Errorf("the input stayed open after enter:\n%s", screen(m))
	}
}

func TestEscCancelsTheMarkInputAndQDoesNotQuitWhileTyping(t *testing.T) {
	f := &fakeActions{}
	m := sized(t, Options{Actions: f, NoColor: true}, 80, 24)
	m = run(t, m, "m")
	m = step(t, m, press("q"))
	if got := m.input.Value(); got != "q" {
		t.Errorf("input = %q, want the typed q (and no quit)", got)
	}
	m = run(t, m, "esc")
	if m.inputMode != inputNone || len(f.marks) != 0 {
		t.Errorf("esc left mode %v and marks %q", m.inputMode, f.marks)
	}
}

func TestReadOnlyViewer(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 120, 40)
	footer := lastLine(screen(m))
	for _, offered := range []string{"a ack", "s silence", "n note", "m mark"} {
		if strings.Contains(footer, offered) {
			t.Errorf("the read-only footer offers %q: %q", offered, footer)
		}
	}
	if !strings.Contains(footer, "(read-only)") || !strings.Contains(footer, "q quit") {
		t.Errorf("footer %q", footer)
	}
	for _, k := range []string{"a", "s", "n", "m"} {
		m = run(t, m, k)
		if !strings.Contains(screen(m), "read-only") || m.inputMode != inputNone {
			t.Errorf("%s in a read-only viewer:\n%s", k, screen(m))
		}
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		_, cmd := New(Options{}).Update(press(k))
		if cmd == nil {
			t.Fatalf("%s returned no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s did not quit", k)
		}
	}
}

func TestHelpOverlayListsEveryKey(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 80, 24)
	m = run(t, m, "?")
	got := screen(m)
	for _, want := range []string{"ack", "silence", "note", "mark", "quit", "select next alert", "esc"} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q:\n%s", want, got)
		}
	}
	golden(t, got)
	m = run(t, m, "esc")
	if m.showHelp {
		t.Error("esc did not close the help")
	}
}

// firing returns the incident snapshot with n extra timeline events, the
// last a new FIRING of the warning alert.
func refire(s *monitor.Snapshot, sev alert.Severity) *monitor.Snapshot {
	s.Alerts[1].State, s.Alerts[1].Severity = alert.Firing, sev
	s.Timeline = append(s.Timeline, monitor.Event{At: s.At, Kind: monitor.EventAlert, Severity: sev,
		State: "FIRING", Subject: "api-cpu-high main.cpu", Value: 91,
		Rule: "api-cpu-high", Key: "main.cpu", Op: alert.Above})
	return s
}

func isBell(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	msg := cmd()
	if raw, ok := msg.(tea.RawMsg); ok {
		return raw.Msg == "\a"
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if isBell(c) {
				return true
			}
		}
	}
	return false
}

func TestBellOncePerNewFiringEvent(t *testing.T) {
	m := New(Options{NoColor: true})
	next, cmd := m.Update(snapshotMsg{incidentSnapshot()})
	m = next.(Model)
	if !isBell(cmd) || m.bells != 1 {
		t.Fatalf("the first firing event did not ring (bells %d)", m.bells)
	}
	next, cmd = m.Update(snapshotMsg{incidentSnapshot()})
	m = next.(Model)
	if isBell(cmd) || m.bells != 1 {
		t.Errorf("the same event rang again (bells %d)", m.bells)
	}
	next, cmd = m.Update(snapshotMsg{refire(incidentSnapshot(), alert.Warning)})
	m = next.(Model)
	if !isBell(cmd) || m.bells != 2 {
		t.Errorf("a new firing event did not ring (bells %d)", m.bells)
	}
}

func TestNoBellAfterAckOrSilence(t *testing.T) {
	acked := refire(incidentSnapshot(), alert.Warning)
	acked.Alerts[1].AckedBy = "ana"
	silenced := refire(incidentSnapshot(), alert.Warning)
	silenced.Alerts[1].SilencedUntil = silenced.At.Add(time.Hour)
	for name, s := range map[string]*monitor.Snapshot{"acked": acked, "silenced": silenced} {
		m := step(t, New(Options{}), snapshotMsg{incidentSnapshot()})
		_, cmd := m.Update(snapshotMsg{s})
		if isBell(cmd) {
			t.Errorf("an %s alert rang the bell", name)
		}
	}
}

func TestBellPolicy(t *testing.T) {
	tests := []struct {
		policy string
		sev    alert.Severity
		ring   bool
	}{
		{BellAll, alert.Warning, true},
		{BellCritical, alert.Warning, false},
		{BellCritical, alert.Critical, true},
		{BellOff, alert.Critical, false},
	}
	for _, tt := range tests {
		t.Run(tt.policy+" "+string(tt.sev), func(t *testing.T) {
			m := step(t, New(Options{Bell: tt.policy}), snapshotMsg{incidentSnapshot()})
			_, cmd := m.Update(snapshotMsg{refire(incidentSnapshot(), tt.sev)})
			if isBell(cmd) != tt.ring {
				t.Errorf("bell = %v, want %v", !tt.ring, tt.ring)
			}
		})
	}
}

func TestTickAdvancesTheClockFromOptionsNow(t *testing.T) {
	now := fixedNow.Add(5 * time.Second)
	m := sized(t, Options{NoColor: true, Now: func() time.Time { return now }}, 80, 24)
	m = step(t, m, tickMsg{})
	if got := screen(m); !strings.Contains(got, "10:01:15 UTC") || !strings.Contains(got, "for 2m15s") {
		t.Errorf("after a tick the clock and ages did not move:\n%s", got)
	}
}

func TestTheAnswerToAKeyFadesAfterAFewTicks(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 80, 24)
	m = run(t, m, "a")
	for range flashTicks {
		m = step(t, m, tickMsg{})
	}
	if !strings.Contains(screen(m), "read-only viewer") {
		t.Fatalf("the answer faded too early:\n%s", screen(m))
	}
	m = step(t, m, tickMsg{})
	if strings.Contains(screen(m), "read-only viewer") {
		t.Errorf("the answer is still there after %d ticks", flashTicks+1)
	}
}

func TestQInsideHelpClosesHelpAndDoesNotQuit(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 80, 24)
	m = run(t, m, "?")
	next, cmd := m.Update(press("q"))
	m = next.(Model)
	if m.showHelp {
		t.Error("q did not close the help")
	}
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Error("q inside help quit the dashboard")
		}
	}
	if _, cmd := m.Update(press("q")); cmd == nil {
		t.Error("q outside help no longer quits")
	} else if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Error("q outside help no longer quits")
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// QA: a on a RESOLVED alert flashed "acked …" and the row read
// "RESOLVED … acked by on-call": an ack is for what is firing or pending.
func TestAResolvedAlertIsNotAcked(t *testing.T) {
	f := &fakeActions{}
	s := incidentSnapshot()
	s.Alerts[1].State = alert.Resolved
	m := sized(t, Options{Actions: f, NoColor: true}, 120, 40)
	m = step(t, m, snapshotMsg{s})
	m = run(t, m, "j", "j", "a") // past the [CW] alarm in ALARM
	if len(f.acks) != 0 {
		t.Errorf("acks = %q, want none for a resolved alert", f.acks)
	}
	if want := "api-cpu-high main.cpu is RESOLVED: nothing to ack (s silences it)"; !strings.Contains(screen(m), want) {
		t.Errorf("the footer does not say why:\n%s", screen(m))
	}
}
