package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/sources/mongo/indexadvice"
)

// The demo's fix, through the real MongoDB source's actions against the
// scripted replica set: explain names the scan and the index, and
// stopping server-c's operations brings the DB CPU down as the scripted
// pause does, twenty seconds before that pause.
func TestStoppingServerCFromTheDashboardBringsDBCPUDown(t *testing.T) {
	// A day before the other tests' start: the scripted counters are one
	// process-wide accumulator that never goes back in time, so this test
	// must not leave it ahead of theirs.
	clock := monitortest.NewClock(start.Add(-24 * time.Hour))
	b, err := demo.StartBackend(clock.Now, clock.After)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	polled, closeSources, err := b.Sources(clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeSources)
	var specs []monitor.SourceSpec
	var db *mongo.Source
	for _, p := range polled {
		specs = append(specs, monitor.SourceSpec{Source: p.Source, Schedule: p.Schedule})
		if s, ok := p.Source.(*mongo.Source); ok {
			db = s
		}
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: config.DefaultRules(), Clock: clock})
	play := func(seconds int) {
		for range seconds {
			for i, p := range polled {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				res, err := p.Source.Poll(ctx)
				cancel()
				e.Ingest(i, res, err)
			}
			clock.Advance(time.Second)
			e.Tick()
		}
	}
	dbCPU := func() float64 {
		if v, ok := e.Snapshot().Series[catalog.DB(catalog.CPU)+"@"+primaryLabel(e)]; ok {
			if p, ok := v.Last(); ok {
				return p.V
			}
		}
		return -1
	}
	play(88) // 1:28: server-c scanning, DB CPU pinned
	before := dbCPU()
	if before < 85 {
		t.Fatalf("DB CPU %.0f at 1:28, want the story's ~97", before)
	}
	acts := db.Actions()
	defer acts.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sel := mongo.Selection{App: "server-c", NS: "cctv.events"}
	ex, err := acts.Explain(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Collscan || len(ex.Proposals) == 0 || indexadvice.Pattern(ex.Proposals[0].Keys) != "{camera_id: 1, ts: -1}" || ex.Docs < 3e6 {
		t.Fatalf("explain %+v", ex)
	}
	ops, _, err := acts.Operations(ctx, sel)
	if err != nil || len(ops) == 0 {
		t.Fatalf("ops %v %v", ops, err)
	}
	r, err := acts.Stop(ctx, sel, ops, "server-c", "ana")
	if err != nil || r.Remaining != 0 || len(r.Asked) != len(ops) {
		t.Fatalf("stop %+v %v", r, err)
	}
	play(20) // 1:48, before the scripted pause at 1:50
	after := dbCPU()
	t.Logf("DB CPU %.0f%% before the stop, %.0f%% twenty seconds after", before, after)
	if after > 50 {
		t.Errorf("DB CPU %.0f twenty seconds after the stop (was %.0f), want it down as after the pause", after, before)
	}
}

// primaryLabel is the member label of the primary.
func primaryLabel(e *monitor.Engine) string {
	for _, s := range e.Snapshot().Sources {
		for _, m := range s.Members {
			if m.Role == "PRIMARY" {
				return m.ID
			}
		}
	}
	return ""
}
