package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/ui"
)

// x and k acted on the first MongoDB source whatever table the row was
// in: with two clusters, a row of the second was explained, listed and
// stopped on the first. Two scripted replica sets: on db2 server-c scans
// (1:28 of the story), on db it has not started (0:05). A row of db2 is
// acted on in db2, a row of db in db.
func TestARowIsActedOnInTheSourceItCameFrom(t *testing.T) {
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) // apart from other tests' scripted counters
	backend := func(at time.Duration) *demo.Backend {
		clock := monitortest.NewClock(day)
		b, err := demo.StartBackend(clock.Now, clock.After)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		clock.Advance(at)
		return b
	}
	quiet, scanning := backend(5*time.Second), backend(88*time.Second)
	var specs []monitor.SourceSpec
	for _, s := range []struct {
		name string
		b    *demo.Backend
	}{{"db", quiet}, {"db2", scanning}} {
		src, err := mongo.New(mongo.Config{Name: s.name, URI: s.b.MongoURI, Interval: time.Second, Timeout: 2 * time.Second, Aliases: s.b.Aliases()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { src.Close(context.Background()) })
		specs = append(specs, monitor.SourceSpec{Source: src})
	}
	e := monitor.New(monitor.Config{Sources: specs})
	for range 2 { // the sources learn their members
		for i, s := range specs {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			res, err := s.Source.Poll(ctx)
			cancel()
			e.Ingest(i, res, err)
		}
	}
	f, closeFixer := newFixer(e)
	defer closeFixer()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, err := f.Candidates(ctx, ui.FixTarget{Source: "db2", App: "server-c"})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Stop == 0 {
		t.Errorf("a db2 row listed %d of server-c's operations on %s, want db2's scans", plan.Stop, plan.Member)
	}
	plan, err = f.Candidates(ctx, ui.FixTarget{Source: "db", App: "server-c"})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Stop != 0 {
		t.Errorf("a db row listed %d operations of server-c, which runs only on db2", plan.Stop)
	}
	if _, err := f.Candidates(ctx, ui.FixTarget{Source: "aws", App: "server-c"}); err == nil || !strings.Contains(err.Error(), `"aws" is not one`) {
		t.Errorf("a row of a source that is not MongoDB: %v", err)
	}
}
