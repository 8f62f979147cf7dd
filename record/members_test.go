package record

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// Issue 13 case 4: a recording keeps the members' roles and their changes
// (a failover), and a replay hands them on at the time they changed.
func TestARecordingKeepsRolesAndTheirChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	r, err := Create(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	snap := func(sec int, primary, secondary string) *monitor.Snapshot {
		return &monitor.Snapshot{At: at.Add(time.Duration(sec) * time.Second), Sources: []monitor.SourceHealth{{Name: "db",
			Interval: time.Second, Members: []sources.Member{{ID: primary, Role: "PRIMARY", OK: true}, {ID: secondary, Role: "SECONDARY", OK: true}}}}}
	}
	last := snap(6, "b:1", "a:1")
	last.Timeline = []monitor.Event{{At: last.At, Kind: monitor.EventMark}} // the recording runs to :06
	for _, s := range []*monitor.Snapshot{snap(0, "a:1", "b:1"), snap(1, "a:1", "b:1"), snap(5, "b:1", "a:1"), last} {
		if err := r.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Members) != 2 || rec.Members[0].Members[0].ID != "a:1" || rec.Members[1].Members[0].ID != "b:1" ||
		!rec.Members[1].At.Equal(at.Add(5*time.Second)) {
		t.Fatalf("members recorded %+v, want a:1 primary at :00 and b:1 primary from :05", rec.Members)
	}
	now := at.Add(2 * time.Second)
	rp := NewReplay(rec, func() time.Time { return now }, time.Time{}, time.Time{})
	res, _ := rp.Poll(context.Background())
	if len(res.Members) == 0 || res.Members[0].ID != "a:1" || res.Members[0].Role != "PRIMARY" {
		t.Errorf("at :02 the replay says %+v", res.Members)
	}
	now = at.Add(6 * time.Second)
	if res, _ = rp.Poll(context.Background()); len(res.Members) == 0 || res.Members[0].ID != "b:1" {
		t.Errorf("after the failover the replay says %+v", res.Members)
	}
}
