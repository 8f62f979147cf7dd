package timeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
)

func TestEventsWrittenByTheStoreReadBackTheSame(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "stormwatch")
	st, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	events := incident()
	// Fed as an engine publishes: cumulative timelines, one skipped.
	for _, n := range []int{3, 3, 7, len(events)} {
		if err := st.Feed(&monitor.Snapshot{Timeline: events[:n]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "timeline-2026-11-27.jsonl")
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]monitor.Event, len(events))
	for i, ev := range events {
		want[i] = ev
		if ev.Kind != monitor.EventAlert {
			want[i].Value = 0 // only alert events keep a value
		}
	}
	want[6].Text = "connection refused: mongodb://monitor:xxxxx@server-c:27017"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back:\n%v\nwant:\n%v", got, want)
	}
	for p, mode := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v, %v; want mode %v", p, fi.Mode().Perm(), err, mode)
		}
	}
}

func TestEventsAfterMidnightGoToTheNextDaysFile(t *testing.T) {
	dir := t.TempDir()
	st, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC)
	if err := st.Append(monitor.Event{At: late, Kind: monitor.EventNote, Text: "a"},
		monitor.Event{At: late.Add(2 * time.Second), Kind: monitor.EventNote, Text: "b"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for name, text := range map[string]string{"timeline-2026-11-27.jsonl": "a", "timeline-2026-11-28.jsonl": "b"} {
		evs, err := Read(filepath.Join(dir, name))
		if err != nil || len(evs) != 1 || evs[0].Text != text {
			t.Errorf("%s: %v, %v", name, evs, err)
		}
	}
}

func TestReadingAFileCutShortReturnsTheEventsBeforeTheCut(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    int
		errHas  string
	}{
		{"a truncated last line is named in the error", `{"at":"2026-11-27T08:00:00Z","kind":"note","text":"a"}` + "\n" +
			`{"at":"2026-11-27T08:01:00Z","kind":"note","text":"b"}` + "\n" + `{"at":"2026-11-27T08:02:00Z","ki`,
			2, "line 3: truncated last line"},
		{"a complete last line without a newline is read", `{"at":"2026-11-27T08:00:00Z","kind":"note","text":"a"}`, 1, ""},
		{"a bad line in the middle is skipped and named", `{"at":"2026-11-27T08:00:00Z","kind":"note"}` + "\n" + "garbage\n" +
			`{"at":"2026-11-27T08:02:00Z","kind":"note"}` + "\n", 2, "line 2: bad line"},
		{"an empty file has no events", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "timeline.jsonl")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			evs, err := Read(path)
			if len(evs) != tt.want {
				t.Errorf("got %d events, want %d", len(evs), tt.want)
			}
			if tt.errHas == "" && err != nil || tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)) {
				t.Errorf("error %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

func TestFollowReportsAWriteErrorOnceAndKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	st, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A directory where the day's file should be makes every write fail.
	if err := os.Mkdir(filepath.Join(dir, "timeline-2026-11-27.jsonl"), 0o700); err != nil {
		t.Fatal(err)
	}
	events := incident()
	snaps := make(chan *monitor.Snapshot, 3)
	for _, n := range []int{1, 2, 3} {
		snaps <- &monitor.Snapshot{Timeline: events[:n]}
	}
	close(snaps)
	var errs []error
	Follow(context.Background(), snaps, st, func(err error) { errs = append(errs, err) })
	if len(errs) != 1 || !errors.Is(errs[0], os.ErrExist) && !strings.Contains(errs[0].Error(), "open timeline") {
		t.Errorf("errors: %v", errs)
	}
}

func TestRunsSplitsAFileAtItsRunMarks(t *testing.T) {
	ev := func(kind monitor.EventKind, text string) monitor.Event { return monitor.Event{Kind: kind, Text: text} }
	tests := []struct {
		name   string
		events []monitor.Event
		want   []int // events per run
	}{
		{"a file from before runs were marked is one run", []monitor.Event{ev(monitor.EventNote, "a"), ev(monitor.EventNote, "b")}, []int{2}},
		{"two runs", []monitor.Event{ev(KindRun, ""), ev(monitor.EventNote, "a"), ev(KindRun, "DEMO"), ev(monitor.EventNote, "b"), ev(monitor.EventNote, "c")}, []int{2, 3}},
		{"a run with no events yet", []monitor.Event{ev(KindRun, ""), ev(monitor.EventNote, "a"), ev(KindRun, "")}, []int{2, 1}},
		{"no events", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			for _, r := range Runs(tc.events) {
				got = append(got, len(r))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("runs of %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRunsOfGroupsByRunAndKeepsOldFilesByTheirMarks(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	rec := func(run string, kind monitor.EventKind, subject string) Record {
		return Record{At: at, Kind: kind, Subject: subject, Run: run}
	}
	tests := []struct {
		name string
		recs []Record
		want [][]string // subjects per run
	}{
		{"interleaved processes", []Record{rec("a", KindRun, "a0"), rec("b", KindRun, "b0"), rec("a", monitor.EventNote, "a1"), rec("b", monitor.EventNote, "b1")},
			[][]string{{"a0", "a1"}, {"b0", "b1"}}},
		{"an old file split at its marks", []Record{rec("", monitor.EventNote, "x"), rec("", KindRun, "r1"), rec("", monitor.EventNote, "y")},
			[][]string{{"x"}, {"r1", "y"}}},
		{"old lines then new runs", []Record{rec("", KindRun, "r1"), rec("", monitor.EventNote, "y"), rec("c", KindRun, "c0")},
			[][]string{{"r1", "y"}, {"c0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]string
			for _, run := range RunsOf(tc.recs) {
				var s []string
				for _, ev := range run {
					s = append(s, ev.Subject)
				}
				got = append(got, s)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("runs = %v, want %v", got, tc.want)
			}
		})
	}
}
