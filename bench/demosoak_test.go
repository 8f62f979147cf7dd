package bench

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/cli"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources/demo"
)

// TestSoakTheDemo runs the demo the way the binary does (its loopback
// MongoDB replica set and CloudWatch endpoint, the real sources, the
// default rules) on a monitortest.Clock, polling every source once per
// simulated second as its schedule and backoff allow, and reads the heap
// at checkpoints. STORMWATCH_SOAK=1 runs 24 h (86,400 steps, several
// minutes: every poll is a real round trip); the default run simulates
// 2 minutes to keep it working.
func TestSoakTheDemo(t *testing.T) {
	seconds, every := 120, 60
	if os.Getenv("STORMWATCH_SOAK") != "" {
		seconds, every = 24*3600, 3600
	}
	// The binary sets this soft limit (cli.MemoryLimit) unless GOMEMLIMIT is set.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(cli.MemoryLimit))
	}
	clock := monitortest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	backend, err := demo.StartBackend(clock.Now, clock.After)
	if err != nil {
		t.Fatal(err)
	}
	defer backend.Close()
	polled, closeSources, err := backend.Sources(clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeSources()
	var specs []monitor.SourceSpec
	for _, p := range polled {
		specs = append(specs, monitor.SourceSpec{Source: p.Source, Schedule: p.Schedule})
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: config.DefaultRules(), Clock: clock, Label: "soak"})
	snaps, cancel := e.Subscribe()
	defer cancel()

	next := make([]time.Time, len(specs))
	start := time.Now()
	polls, failures := 0, 0
	for sec := 1; sec <= seconds; sec++ {
		clock.Advance(time.Second)
		now := clock.Now()
		for i, s := range specs {
			if now.Before(next[i]) {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), s.Schedule.Timeout+time.Second)
			res, err := s.Source.Poll(ctx)
			cancel()
			polls++
			if err != nil {
				failures++
			}
			next[i] = now.Add(e.Ingest(i, res, err))
		}
		e.Tick()
		select {
		case <-snaps:
		default:
		}
		if sec%every == 0 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			snap := e.Snapshot()
			t.Logf("%6.2f h: %d polls (%d failed), %d series, %d timeline events; HeapInuse %.1f MB, Sys %.1f MB, RSS %s; %s of wall time",
				float64(sec)/3600, polls, failures, len(snap.Series), len(snap.Timeline), mb(ms.HeapInuse), mb(ms.Sys), rss(), time.Since(start).Round(time.Second))
		}
	}
	if failures > polls/100 {
		t.Errorf("%d of %d polls failed", failures, polls)
	}
}
