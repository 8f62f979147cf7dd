package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
)

func pacedScreen(p tea.Model) string { return ansi.Strip(p.View().Content) }

// current is what the dashboard would show if it drew now.
func current(p tea.Model) string { return screen(p.(paced).m) }

func pacedStep(p tea.Model, msg tea.Msg) tea.Model {
	next, _ := p.Update(msg)
	return next
}

// quietSnapshot is the incident snapshot 5 s later: new points, the same
// alerts and sources.
func quietSnapshot() *monitor.Snapshot {
	s := *incidentSnapshot()
	s.Seq++
	s.At = s.At.Add(5 * time.Second)
	return &s
}

// pacerUnderTest is a pacer whose subscription and clock the test drives.
// Both channels are unbuffered, so a send returns only once the pacer has
// taken it, and the order of events is the test's.
func pacerUnderTest(t *testing.T) (pc *pacer, in chan *monitor.Snapshot, tick chan time.Time, next func() tea.Msg) {
	t.Helper()
	in, tick = make(chan *monitor.Snapshot), make(chan time.Time)
	pc = &pacer{in: in, tick: tick}
	var res chan tea.Msg
	start := func() {
		res = make(chan tea.Msg, 1)
		go func() { res <- pc.next() }()
	}
	start()
	next = func() tea.Msg {
		select {
		case msg := <-res:
			start()
			return msg
		case <-time.After(10 * time.Second): // a bound for a broken pacer, not a speed assertion
			t.Fatal("the pacer sent nothing")
			return nil
		}
	}
	return pc, in, tick, next
}

func TestThePacerHoldsNewPointsForTheTickAndSendsAlertChangesAtOnce(t *testing.T) {
	_, in, tick, next := pacerUnderTest(t)
	first := incidentSnapshot()
	in <- first
	if got := next(); got != (snapshotMsg{first}) {
		t.Fatalf("the first snapshot: got %#v, want it at once", got)
	}
	quiet := quietSnapshot()
	in <- quiet
	in <- quiet // a second poll in the same second: still one message
	tick <- time.Now()
	if got := next(); got != (pacedTickMsg{quiet}) {
		t.Fatalf("new points: got %#v, want them with the tick", got)
	}
	tick <- time.Now()
	if got := next(); got != (pacedTickMsg{}) {
		t.Fatalf("a second with no snapshot: got %#v, want the bare tick", got)
	}
	firing := laterSnapshot() // an alert starts firing
	in <- firing
	if got := next(); got != (snapshotMsg{firing}) {
		t.Fatalf("an alert change: got %#v, want it at once", got)
	}
}

func TestThePacerDrawsTheLastSnapshotAtOnceWhenTheSubscriptionEnds(t *testing.T) {
	_, in, tick, next := pacerUnderTest(t)
	first, quiet := incidentSnapshot(), quietSnapshot()
	in <- first
	_ = next()
	in <- quiet
	close(in)
	if got := next(); got != (snapshotMsg{quiet}) {
		t.Fatalf("got %#v, want the held snapshot at once", got)
	}
	if got := next(); got != (snapshotsClosedMsg{}) {
		t.Fatalf("got %#v, want the end of the subscription", got)
	}
	tick <- time.Now()
	if got := next(); got != (pacedTickMsg{}) {
		t.Fatalf("got %#v, want the clock to go on after the end", got)
	}
}

func TestPacedDrawsTheTicksSnapshotAndKeepsNoClockOfItsOwn(t *testing.T) {
	p := Paced(sized(t, Options{NoColor: true}, 120, 40))
	before := pacedScreen(p)
	p = pacedStep(p, pacedTickMsg{quietSnapshot()})
	if got := pacedScreen(p); got == before {
		t.Fatal("the tick's snapshot changes nothing on screen; the test proves nothing")
	}
	if got, want := pacedScreen(p), current(p); got != want {
		t.Errorf("the tick did not draw its snapshot:\n%s\nwant\n%s", got, want)
	}
	if _, cmd := p.(paced).m.Update(tickMsg{}); cmd != nil {
		t.Error("the paced model scheduled its own clock tick; the pacer is its clock")
	}
}

func TestPacedDrawsAlertChangesAndKeysAtOnce(t *testing.T) {
	p := Paced(sized(t, Options{NoColor: true}, 120, 40))
	_ = pacedScreen(p)
	p = pacedStep(p, snapshotMsg{laterSnapshot()}) // an alert starts firing
	if got, want := pacedScreen(p), current(p); got != want {
		t.Errorf("a new firing alert waited for the tick:\n%s", got)
	}
	p = pacedStep(p, press("?"))
	if got := pacedScreen(p); !strings.Contains(got, "pan back in history") {
		t.Errorf("? did not open the help at once:\n%s", got)
	}
	p = pacedStep(p, tea.WindowSizeMsg{Width: 80, Height: 24})
	if got, want := pacedScreen(p), current(p); got != want || strings.Count(got, "\n") != 23 {
		t.Errorf("a resize was not drawn at once:\n%s", got)
	}
}

func TestProgramOptionsCapTheFrameRate(t *testing.T) {
	if FPS < 20 || FPS > 60 {
		t.Errorf("FPS %d: below 20 a key press can wait more than 50 ms for its frame; above 60 is Bubble Tea's default cost", FPS)
	}
	if len(ProgramOptions()) == 0 {
		t.Error("no program options")
	}
}
