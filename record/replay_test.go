package record_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/text"
)

// replay drives rec through a fresh engine with the built-in rules on a
// fake clock, polling once a second from the recording's start, as the
// recording engine did, and returns the final snapshot.
func replay(t *testing.T, rec *record.Recording, notes func(note, who text.Safe)) *monitor.Snapshot {
	t.Helper()
	clock := monitortest.NewClock(rec.Start())
	rp := record.NewReplay(rec, clock.Now, time.Time{}, time.Time{})
	rp.Notes = notes
	ended := false
	rp.End = func() { ended = true }
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: rp, Schedule: rp.Schedule()}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
	})
	for !ended {
		res, err := rp.Poll(context.Background())
		e.Ingest(0, res, err)
		clock.Advance(time.Second)
	}
	return e.Snapshot()
}

func transitions(s *monitor.Snapshot, kind monitor.EventKind) []string {
	var out []string
	for _, ev := range s.Timeline {
		if ev.Kind == kind {
			out = append(out, fmt.Sprintf("%s %s %s %s %s", ev.At.Format(time.RFC3339), ev.Rule, ev.Key, ev.State, ev.Text))
		}
	}
	return out
}

func TestAReplayThroughTheSameRulesFiresTheSameAlertsAtTheSameTimes(t *testing.T) {
	path, live := recordDemo(t, t.TempDir(), 180)
	rec, err := record.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := replay(t, rec, nil)
	want := transitions(live, monitor.EventAlert)
	if len(want) < 8 {
		t.Fatalf("the demo recorded only %d alert transitions; the scenario changed?", len(want))
	}
	if g := transitions(got, monitor.EventAlert); strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("replayed alert transitions differ\n got:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
	if g, w := transitions(got, monitor.EventAlarm), transitions(live, monitor.EventAlarm); strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("replayed CloudWatch alarm changes differ\n got: %q\nwant: %q", g, w)
	}
	var marks []string
	for _, m := range got.Marks {
		marks = append(marks, m.At.Format(time.RFC3339)+" "+m.Label.String())
	}
	if len(marks) != 1 || marks[0] != "2026-11-27T09:09:50Z paused server-c" {
		t.Errorf("replayed marks = %q, want the demo's one pause", marks)
	}
	if len(got.Tables) == 0 {
		t.Error("the replay shows no top clients or slow ops")
	}
}

func TestTheEmbeddedDemoReplaysItsStory(t *testing.T) {
	rec, err := record.Demo()
	if err != nil {
		t.Fatal(err)
	}
	if d := rec.End().Sub(rec.Start()); d < 170*time.Second {
		t.Errorf("the demo recording covers %s, want a whole 180 s loop", d)
	}
	fired := map[string]bool{}
	for _, ev := range replay(t, rec, nil).Timeline {
		if ev.Kind == monitor.EventAlert && ev.State == "FIRING" {
			fired[ev.Rule] = true
		}
	}
	for _, rule := range []string{"db-missing-index", "db-queued-ops", "db-cpu-high", "main-cpu-elevated"} {
		if !fired[rule] {
			t.Errorf("%s never fired in the replayed demo (fired: %v)", rule, fired)
		}
	}
}

func TestRecordedNotesComeBackAndDamageStopsTheReplayWhereItIs(t *testing.T) {
	dir := t.TempDir()
	path, _ := recordDemo(t, dir, 60)
	// A note, then a crash in the middle of a line.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, `{"e":{"at":"2026-11-27T09:08:30Z","kind":"note","text":"paging the DBA","who":"alice"}}`)
	fmt.Fprint(f, `{"k":"db.cpu@mongo-db:27017","t":17957705`)
	f.Close()
	b, _ := os.ReadFile(path)
	last := strings.Count(string(b), "\n") + 1
	rec, err := record.ReadFile(path)
	var de *record.DamageError
	if !errors.As(err, &de) || de.Line != last || rec == nil {
		t.Fatalf("err = %v, want damage at line %d, the truncated one", err, last)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("recording damaged at line %d: invalid JSON", last)) {
		t.Errorf("error = %q", err)
	}
	var notes []string
	replay(t, rec, func(note, who text.Safe) { notes = append(notes, who.String()+": "+note.String()) })
	if len(notes) != 1 || notes[0] != "alice: paging the DBA" {
		t.Errorf("replayed notes = %q", notes)
	}
}
