package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/timeline"
)

// scripted is a source that reports one db.cpu value a poll.
type scripted struct {
	now    func() time.Time
	values []float64
}

func (s *scripted) Name() string { return "db" }

func (s *scripted) Poll(context.Context) (sources.Result, error) {
	if len(s.values) == 0 {
		return sources.Result{}, nil
	}
	v := s.values[0]
	s.values = s.values[1:]
	return sources.Result{Samples: []series.Sample{{Key: "db.cpu", Point: series.At(s.now(), v)}}}, nil
}

// runIncident plays values through the real engine, one poll a second,
// feeding a timeline store in dir as the dashboard does, and returns the
// last snapshot (what e exports).
func runIncident(t *testing.T, dir string, start time.Time, values []float64) *monitor.Snapshot {
	return runIncidentNoted(t, dir, start, values, "")
}

func runIncidentNoted(t *testing.T, dir string, start time.Time, values []float64, note string) *monitor.Snapshot {
	t.Helper()
	clock := monitortest.NewClock(start)
	src := &scripted{now: clock.Now, values: values}
	rule := alert.Rule{Name: "db-cpu-high", Series: "db.cpu", Op: alert.Above, Threshold: 80, Severity: alert.Critical, NoData: alert.NoDataState}
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules: []alert.Rule{rule}, Clock: clock, TimeNote: note})
	store, err := timeline.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for range values {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		if err := store.Feed(e.Snapshot()); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
		e.Tick()
	}
	snap := e.Snapshot()
	if err := store.Feed(snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

func alertsTable(md string) string {
	_, after, _ := strings.Cut(md, "## Alerts")
	table, _, _ := strings.Cut(after, "\n## ")
	return table
}

// The case 7: for the same run, stormwatch timeline export and the
// e key say the same thing about the alerts, and the peak is the alerted
// series' worst sample, not the value at the last transition; another run
// of the same day is not merged in.
func TestTheCommandAndTheKeyExportTheSameIncident(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	runIncident(t, dir, day, []float64{50, 85, 50, 50})
	snap := runIncident(t, dir, day.Add(time.Hour), []float64{50, 86.094, 90, 97.079, 92, 60, 50})
	key := timeline.Markdown(snap, timeline.Options{Now: snap.At})
	var out bytes.Buffer
	path := filepath.Join(dir, timeline.FileName(day))
	if err := timelineExport(timelineFlags{file: path}, &out); err != nil {
		t.Fatal(err)
	}
	cmd := out.String()
	if !strings.Contains(alertsTable(key), "| 97.079 |") {
		t.Fatalf("the key's export lacks the peak 97.079:\n%s", key)
	}
	if alertsTable(cmd) != alertsTable(key) {
		t.Errorf("the command's alerts differ from the key's:\ncommand:%s\nkey:%s", alertsTable(cmd), alertsTable(key))
	}
	if strings.Contains(cmd, "| 85 |") || !strings.Contains(cmd, "run 2 of 2") {
		t.Errorf("the earlier run of the day is merged in, or not said:\n%s", cmd)
	}
	if strings.Contains(cmd, "no points kept") {
		t.Errorf("the command claims no points were kept:\n%s", cmd)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// The case 7, --speed: a demo at 10x runs on scenario time. Both
// exports say so, date themselves by the wall clock, and end an incident
// still open at the run's last event, not at wall-clock now.
func TestADemoAtSpeedIsExportedInScenarioTime(t *testing.T) {
	dir := t.TempDir()
	future := time.Now().UTC().Add(48 * time.Hour) // where a scaled clock gets to
	snap := runIncidentNoted(t, dir, future, []float64{50, 90, 95}, "scenario time (demo at 10x)")
	key := timeline.Markdown(snap, timeline.Options{Now: snap.At, Written: time.Now()})
	var out bytes.Buffer
	if err := timelineExport(timelineFlags{file: filepath.Join(dir, timeline.FileName(future))}, &out); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for name, md := range map[string]string{"key": key, "command": out.String()} {
		if !strings.Contains(md, "Every time here is scenario time (demo at 10x), not wall-clock time.") {
			t.Errorf("the %s's export does not say its times are scenario time:\n%s", name, md)
		}
		if !strings.Contains(md, "Generated "+today) {
			t.Errorf("the %s's export is not dated by the wall clock (%s):\n%s", name, today, md)
		}
		if table := alertsTable(md); !regexp.MustCompile(`\| ongoing \| [0-9]s so far \|`).MatchString(table) {
			t.Errorf("the %s's export does not measure the open incident in scenario time:%s", name, table)
		}
	}
}

// QA: two stormwatch sharing a state directory (two terminals on one
// laptop) append to one day's file, and the export of the newest run held
// both processes' events: every alert twice. Each line now says which
// run wrote it.
func TestTwoProcessesSharingADayFileAreExportedApart(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	first, err := timeline.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := timeline.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	defer second.Close()
	snap := func(label string, events ...monitor.Event) *monitor.Snapshot {
		return &monitor.Snapshot{At: at, Label: label, Timeline: events}
	}
	alertAt := func(sec int, subject string) monitor.Event {
		return monitor.Event{At: at.Add(time.Duration(sec) * time.Second), Kind: monitor.EventAlert, State: "FIRING",
			Subject: subject, Rule: "db-cpu-high", Key: subject, Severity: alert.Critical, Op: alert.Above, Value: 91}
	}
	a1, b1 := alertAt(1, "db.cpu@first:27017"), alertAt(2, "db.cpu@second:27017")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(first.Feed(snap("")))
	must(second.Feed(snap("")))
	must(first.Feed(snap("", a1)))
	must(second.Feed(snap("", b1)))
	var out bytes.Buffer
	must(timelineExport(timelineFlags{file: filepath.Join(dir, timeline.FileName(at))}, &out))
	md := out.String()
	if strings.Contains(md, "first:27017") || !strings.Contains(md, "second:27017") || !strings.Contains(md, "run 2 of 2") {
		t.Errorf("the newest run's export holds the other process's events, or misses its own:\n%s", md)
	}
}
