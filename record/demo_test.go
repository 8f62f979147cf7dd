package record_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
)

var update = flag.Bool("update", false, "rewrite demo.jsonl.gz from the demo source")

// demoStart is the fixed start of the generated demo, so the file only
// changes when the scenario or the format does.
var demoStart = time.Date(2026, 11, 27, 9, 8, 0, 0, time.UTC)

// recordDemo plays seconds of the demo scenario through an engine with the
// built-in rules on a fake clock, recording to a file in dir. It returns
// the file and the engine's final snapshot.
func recordDemo(t *testing.T, dir string, seconds int) (string, *monitor.Snapshot) {
	t.Helper()
	clock := monitortest.NewClock(demoStart)
	src := demo.New(clock.Now, 1)
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
		Label:   record.DemoLabel,
		// The live demo's verdict windows, so the recorded verdicts are
		// the ones the demo says (and replay --demo recomputes).
		Verdict: demo.Verdict, RequestsPolled: true,
	})
	path := filepath.Join(dir, "demo.jsonl")
	rec, err := record.Create(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range seconds {
		clock.Advance(time.Second)
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		if err := rec.Write(e.Snapshot()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	return path, e.Snapshot()
}

func TestDemoRecordingIsUpToDate(t *testing.T) {
	path, _ := recordDemo(t, t.TempDir(), int(demo.Loop/time.Second))
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(want)
		zw.Close()
		if err := os.WriteFile("demo.jsonl.gz", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("demo.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("demo.jsonl.gz: %v (refresh it with go test ./record -run TestDemoRecordingIsUpToDate -update)", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("demo.jsonl.gz is out of date with the demo source; refresh it with go test ./record -run TestDemoRecordingIsUpToDate -update")
	}
}
