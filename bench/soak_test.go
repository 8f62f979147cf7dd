package bench

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// TestSoakMemoryIsFlat drives the engine with a demo-shaped source (the
// demo's series, tables and marks, without its loopback servers) and a
// fake clock, one poll per simulated second, and reads the heap at checkpoints.
// The store keeps 12 h per series, so from 12 h on the heap must stop
// growing. STORMWATCH_SOAK=1 runs the full 24 h (86,400 polls, about a
// minute); the default run simulates 2 h to keep the suite quick.
func TestSoakMemoryIsFlat(t *testing.T) {
	hours := 2
	if os.Getenv("STORMWATCH_SOAK") != "" {
		hours = 24
	}
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	clock := monitortest.NewClock(start)
	src := &demoShaped{now: clock.Now}
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second, Timeout: 500 * time.Millisecond}}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
		Label:   "soak",
	})
	// A subscriber that always takes the newest snapshot, as the UI does.
	snaps, cancel := e.Subscribe()
	defer cancel()
	checkpoints := map[int]bool{1: true, 6: true, 12: true, 18: true, 24: true, 2: true}
	var heap []uint64
	var series int
	for sec := 1; sec <= hours*3600; sec++ {
		clock.Advance(time.Second)
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		e.Tick()
		select {
		case s := <-snaps:
			series = len(s.Series)
		default:
		}
		if sec%3600 == 0 && checkpoints[sec/3600] {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heap = append(heap, ms.HeapInuse)
			t.Logf("%2d h: %d polls, %d series, %d timeline events; HeapInuse %.1f MB, HeapAlloc %.1f MB, Sys %.1f MB, RSS %s",
				sec/3600, sec, series, len(e.Snapshot().Timeline), mb(ms.HeapInuse), mb(ms.HeapAlloc), mb(ms.Sys), rss())
		}
	}
	if hours >= 24 {
		h12, h24 := heap[3], heap[len(heap)-1]
		// The store is a constant per series now (series.DefaultLayout);
		// what still grows is the timeline, ~1 MB per 12 h here, until its
		// cap (monitor.DefaultMaxEvents, ~3.8 days of this source).
		if float64(h24) > max(1.15*float64(h12), float64(h12)+2<<20) {
			t.Errorf("heap grew from %.1f MB at 12 h to %.1f MB at 24 h: not flat", mb(h12), mb(h24))
		}
		if mb(h24) > 60 {
			t.Errorf("heap %.1f MB at 24 h, over 60 MB", mb(h24))
		}
	}
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// rss is the process's resident set from /proc, or "?" off Linux.
func rss() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			f := strings.Fields(v)
			if kb, err := strconv.Atoi(f[0]); err == nil {
				return strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64) + " MB"
			}
		}
	}
	return "?"
}

// demoShaped emits what the demo emits every second: 2 API series and 14
// series for each of two replica-set members, three small tables, and a
// mark every three-minute loop.
type demoShaped struct {
	now func() time.Time
	n   int
}

var demoNames = []string{"db.cpu", "db.ops.insert", "db.ops.query", "db.ops.update", "db.ops.delete", "db.ops.getmore",
	"db.ops.command", "db.connections", "db.connections.available", "db.queue.readers", "db.queue.writers",
	"db.latency.reads", "db.latency.writes", "db.scanned_per_returned"}

func (d *demoShaped) Name() string { return "demo" }

func (d *demoShaped) Poll(ctx context.Context) (sources.Result, error) {
	now := d.now()
	d.n++
	phase := float64(d.n%180) / 180
	v := 20 + 75*phase
	res := sources.Result{Samples: []series.Sample{
		{Key: "main.cpu", Point: series.At(now, v*0.8)},
		{Key: "main.requests", Point: series.At(now, 1000+10*v)},
	}}
	for _, m := range []string{"mongo-db:27017", "mongo-db-2:27017"} {
		for _, name := range demoNames {
			res.Samples = append(res.Samples, series.Sample{Key: series.Key(name, m), Point: series.At(now, v)})
		}
		res.Members = append(res.Members, sources.Member{ID: m, Role: "PRIMARY", OK: true, LastOK: now})
	}
	for _, name := range []string{"top clients", "slow ops", "largest collections"} {
		tb := sources.Table{Name: name, Columns: []sources.Column{{Title: "a", Kind: sources.Name}, {Title: "b", Kind: sources.Count},
			{Title: "c", Kind: sources.Count}, {Title: "d", Kind: sources.Label}}, Highlight: 0}
		for r := range 5 {
			tb.Rows = append(tb.Rows, sources.R(sources.Str(name), sources.Num(float64(r)), sources.Num(float64(d.n)), sources.Str("x")))
		}
		res.Tables = append(res.Tables, tb)
	}
	if d.n%180 == 110 {
		res.Marks = append(res.Marks, sources.Mark{At: now, Label: text.Clean("paused server-c")})
	}
	return res, nil
}
