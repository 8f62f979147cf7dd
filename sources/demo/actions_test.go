package demo_test

import (
	"context"
	"strings"
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
	e, db, play := playedDemo(t, start.Add(-24*time.Hour))
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

// playedDemo runs the demo's real sources against its scripted replica set
// on a fake clock from t0, through an engine with the default rules; play
// advances it a second at a time. The MongoDB source gives the actions.
func playedDemo(t *testing.T, t0 time.Time) (*monitor.Engine, *mongo.Source, func(seconds int)) {
	t.Helper()
	clock := monitortest.NewClock(t0)
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
			pollRound(e, polled, clock)
		}
	}
	return e, db, play
}

// Every app top clients counts as active can be looked at with x: its
// operations are listed (as many as the table counts), explained on their
// own collection and index (the API's finds are indexed: no COLLSCAN, and
// the index the advice arrives at already exists), and stopping them reports none of server-c's scans as its
// own. Before, the demo listed nothing for api-main ("no active operation
// of this app now" beside a table counting 3) and explained every
// collection as server-c's scan.
func TestEveryActiveClientCanBeExplainedAndStopped(t *testing.T) {
	// After the stop test's day-early clock and before the others' start:
	// the scripted counters' accumulator only moves forward.
	e, db, play := playedDemo(t, start.Add(-12*time.Hour))
	acts := db.Actions()
	defer acts.Close(context.Background())
	for _, at := range []struct {
		name    string
		seconds int
	}{{"quiet, 0:30", 30}, {"server-c scanning, 1:28", 58}} {
		play(at.seconds)
		active := map[string]float64{}
		for _, tb := range e.Snapshot().Tables {
			if tb.Name == "top clients" {
				for _, r := range tb.Rows {
					active[r.Cells[0].Text.String()] = r.Cells[2].Num
				}
			}
		}
		for _, app := range []string{"api-main", "webview"} {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			sel := mongo.Selection{App: app}
			ops, _, err := acts.Operations(ctx, sel)
			if err != nil || active[app] == 0 || len(ops) != int(active[app]) {
				t.Errorf("%s: %s: %d operations listed (%v), top clients counts %v active", at.name, app, len(ops), err, active[app])
				cancel()
				continue
			}
			for _, o := range ops {
				if o.App != app || o.Plan == "COLLSCAN" || o.NS == "cctv.events" {
					t.Errorf("%s: %s lists %+v", at.name, app, o)
				}
			}
			if at.seconds == 30 { // explain is shown again for 10 minutes
				ex, err := acts.Explain(ctx, sel)
				exists := len(ex.Proposals) > 0
				for _, p := range ex.Proposals {
					exists = exists && p.Verdict == indexadvice.Exists && p.Related != "_id_" && p.Used
				}
				if err != nil || ex.Collscan || !strings.Contains(ex.Winning, "IXSCAN") || !exists || ex.Op.NS == "cctv.events" {
					t.Errorf("%s: explain %s: %v, winning %q on %s, proposals %v", at.name, app, err, ex.Winning, ex.Op.NS, ex.Proposals)
				}
				// Nothing to build: the collection's size is not asked
				// for, and nothing is said about it (the web view's read
				// once got "$collStats: not available on this server").
				if len(ex.Notes) != 0 || ex.Docs != -1 {
					t.Errorf("%s: explain %s: notes %q, docs %v", at.name, app, ex.Notes, ex.Docs)
				}
			}
			r, err := acts.Stop(ctx, sel, ops, app, "ana")
			if err != nil || r.Remaining != 0 || len(r.Asked) != len(ops) {
				t.Errorf("%s: stop %s: %+v %v", at.name, app, r, err)
			}
			cancel()
		}
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
