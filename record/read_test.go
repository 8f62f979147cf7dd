package record_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/series"
)

const header = `{"stormwatch_recording":1,"started":"2026-11-27T09:00:00Z","sources":[{"name":"db","interval_ms":1000}]}` + "\n"

func TestReadSaysWhichLineIsDamaged(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		want     string
	}{
		{"an empty file has no header", "", 1, "empty file"},
		{"a file of another kind has no header", `{"k":"a","t":1,"v":1}` + "\n", 1, "not a stormwatch recording"},
		{"a newer format is refused", `{"stormwatch_recording":2}` + "\n", 1, "format 2"},
		{"a sample without a value", header + `{"k":"a","t":1}` + "\n", 2, "sample needs"},
		{"a truncated last line", header + `{"k":"a","t":1,"v":1}` + "\n" + `{"k":"a","t":2,"v`, 3, "invalid JSON"},
		{"a line of garbage", header + "\x00\x01\n", 2, "not a JSON object"},
		{"an event without a kind", header + `{"e":{"at":"2026-11-27T09:00:00Z"}}` + "\n", 2, "event needs"},
		{"an unknown line", header + `{"x":1}` + "\n", 2, "unknown line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := record.Read(strings.NewReader(tc.in))
			var de *record.DamageError
			if !errors.As(err, &de) || de.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want damage at line %d mentioning %q", err, tc.line, tc.want)
			}
		})
	}
}

func TestReadKeepsWhatCameBeforeTheDamage(t *testing.T) {
	in := header + `{"k":"a","t":1000,"v":1}` + "\n" + `{"k":"a","t":2000,"v":2}` + "\n" + "garbage\n" + `{"k":"a","t":3000,"v":3}` + "\n"
	rec, err := record.Read(strings.NewReader(in))
	if err == nil || rec == nil || len(rec.Samples) != 2 || rec.Lines != 3 {
		t.Fatalf("rec = %+v, err = %v; want the two samples before line 4", rec, err)
	}
}

func TestReadAcceptsGzipAndAppendedSegments(t *testing.T) {
	in := header + `{"k":"a","t":2000,"v":2}` + "\n" + header + `{"k":"a","t":1000,"v":1}` + "\n"
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(in))
	zw.Close()
	rec, err := record.Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Samples) != 2 || rec.Samples[0].Point.T != 1000 {
		t.Errorf("samples = %+v, want both segments in time order", rec.Samples)
	}
}

func snapshotAt(at time.Time, points map[string][]series.Point, timeline []monitor.Event) *monitor.Snapshot {
	s := &monitor.Snapshot{At: at, Series: map[string]series.View{}, Timeline: timeline,
		Sources: []monitor.SourceHealth{{Name: "db", Interval: time.Second}}}
	for k, p := range points {
		s.Series[k] = series.ViewOf(p...)
	}
	return s
}

func TestTheRecorderWritesOnlyWhatIsNewRedactsAndRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.jsonl")
	r, err := record.Create(path, 300)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	p := func(s int, v float64) series.Point { return series.At(t0.Add(time.Duration(s)*time.Second), v) }
	leak := monitor.Event{At: t0, Kind: monitor.EventSource, State: "error", Subject: "db",
		Text: "dial mongodb://admin:hunter2@db:27017: refused"}
	s1 := snapshotAt(t0, map[string][]series.Point{"a": {p(1, 1)}}, []monitor.Event{leak})
	s2 := snapshotAt(t0.Add(2*time.Second), map[string][]series.Point{"a": {p(1, 1), p(2, 2)}, "b": {p(2, 5)}}, []monitor.Event{leak})
	for _, s := range []*monitor.Snapshot{s1, s1, s2} {
		if err := r.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	all := string(b)
	if old, err := os.ReadFile(path + ".1"); err == nil {
		all = string(old) + all
	} else {
		t.Errorf("no rotation past 300 bytes: %v", err)
	}
	if strings.Contains(all, "hunter2") {
		t.Errorf("the password reached the recording:\n%s", all)
	}
	if n := len(regexp.MustCompile(`"k":"a","t":\d+,"v":1}`).FindAllString(all, -1)); n != 1 {
		t.Errorf("the first point of a was written %d times, want once:\n%s", n, all)
	}
	rec, err := record.ReadFile(path)
	if err != nil {
		t.Fatalf("the rotated file does not read on its own: %v", err)
	}
	_ = rec
	if !strings.Contains(string(b), `"stormwatch_recording":1`) {
		t.Error("the new file after rotation has no header")
	}
}
