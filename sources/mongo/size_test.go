package mongo

import (
	"path/filepath"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// serverSide applies a serverStatus command's exclusions to a full reply
// the way mongod does ("<section>: 0" drops a section, metrics: {<branch>:
// false} drops a branch), and drops the start/end fields FTDC adds.
func serverSide(t *testing.T, full bson.Raw, cmd bson.D) bson.Raw {
	t.Helper()
	drop := map[string]bool{"start": true, "end": true}
	var metricsDrop map[string]bool
	for _, e := range cmd[1:] {
		switch v := e.Value.(type) {
		case int:
			drop[e.Key] = v == 0
		case bson.D:
			metricsDrop = map[string]bool{}
			for _, m := range v {
				if m.Value != false {
					t.Fatalf("metrics.%s: exclusion values must be booleans, got %T", m.Key, m.Value)
				}
				metricsDrop[m.Key] = true
			}
		}
	}
	elems, err := full.Elements()
	if err != nil {
		t.Fatal(err)
	}
	var d bson.D
	for _, e := range elems {
		switch {
		case drop[e.Key()]:
		case e.Key() == "metrics" && metricsDrop != nil:
			var md bson.D
			sub, _ := e.Value().Document().Elements()
			for _, se := range sub {
				if !metricsDrop[se.Key()] {
					md = append(md, bson.E{Key: se.Key(), Value: se.Value()})
				}
			}
			d = append(d, bson.E{Key: "metrics", Value: md})
		default:
			d = append(d, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestTrimmedServerStatusIsSmallerAndLosesNoMetric(t *testing.T) {
	dir := fixturesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "serverStatus-*.json"))
	for _, f := range files {
		full := readDoc(t, f)
		slow := serverSide(t, full, statusCommand(true))
		fast := serverSide(t, full, statusCommand(false))
		t.Logf("%-48s full %6d B; with wiredTiger %6d B (%2.0f%%); without %5d B (%2.0f%%)",
			filepath.Base(f), len(full), len(slow), pct(slow, full), len(fast), pct(fast, full))
		a, b := parseStatus(full), parseStatus(slow)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: trimming lost data:\n full    %+v\n trimmed %+v", filepath.Base(f), a, b)
		}
		c := parseStatus(fast)
		c.CacheBytes, c.CacheMax, c.CacheDirty = a.CacheBytes, a.CacheMax, a.CacheDirty
		if _, err := full.LookupErr("queues"); err != nil { // tickets come from wiredTiger before 8.0
			c.TicketsReadOut, c.TicketsReadAvail, c.TicketsWriteOut, c.TicketsWriteAvail = a.TicketsReadOut, a.TicketsReadAvail, a.TicketsWriteOut, a.TicketsWriteAvail
		}
		if !reflect.DeepEqual(a, c) {
			t.Errorf("%s: the fast poll lost more than wiredTiger:\n full %+v\n fast %+v", filepath.Base(f), a, c)
		}
	}
}

func pct(a, b bson.Raw) float64 { return 100 * float64(len(a)) / float64(len(b)) }
