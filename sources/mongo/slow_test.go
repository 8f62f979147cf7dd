package mongo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

func fact(res sources.Result, key string) string {
	for _, f := range res.Facts {
		if f.Key == key {
			return f.Value.String()
		}
	}
	return ""
}

// Issue 17: a $currentOp that takes more than half its 1 s deadline (here
// 600 ms, through the real driver) doubles its interval, says so, and goes
// back to every 5 s with the first fast answer.
func TestASlowDiagnosticCommandRunsLessOftenUntilItIsFastAgain(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) { cfg.TopInterval = -1 })
	setDelay := func(d time.Duration) {
		c.mu.Lock()
		c.delay = d
		c.mu.Unlock()
	}
	clients := func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.clients
	}
	// pollFor polls once a second for d and returns the last result and
	// how many top-clients reads the server received meanwhile.
	pollFor := func(d time.Duration) (sources.Result, int) {
		before := clients()
		var res sources.Result
		for t0 := clk.Now(); clk.Now().Sub(t0) < d; clk.Advance(time.Second) {
			res = mustPoll(t, s)
		}
		return res, clients() - before
	}
	setDelay(600 * time.Millisecond)
	res, n := pollFor(10 * time.Second)
	if n != 1 {
		t.Errorf("10 s after a slow $currentOp: %d reads, want 1 (the next one 10 s later)", n)
	}
	// How long it took is measured on the wall clock: the server held the
	// reply 600 ms, so at least that; a loaded machine may add any amount.
	got := fact(res, sources.FactSlowed)
	tookText, _, _ := strings.Cut(strings.TrimPrefix(got, "$currentOp every 10s (took "), " ")
	if took, err := time.ParseDuration(tookText); !strings.HasPrefix(got, "$currentOp every 10s (took ") || err != nil || took < 600*time.Millisecond {
		t.Errorf("slowed fact = %q, want $currentOp every 10s and how long it took (at least 600ms)", got)
	}
	res, n = pollFor(20 * time.Second)
	if n != 1 || !strings.HasPrefix(fact(res, sources.FactSlowed), "$currentOp every 20s") {
		t.Errorf("a second slow answer: %d reads in 20 s (want 1), fact %q (want every 20s)", n, fact(res, sources.FactSlowed))
	}
	setDelay(0)
	res, n = pollFor(20 * time.Second)
	if got := fact(res, sources.FactSlowed); got != "" || n != 4 {
		t.Errorf("fast again: slowed fact %q, %d reads in 20 s; want no fact and 4 reads (every 5 s)", got, n)
	}
	if got := fact(res, sources.FactOwnCost); !strings.Contains(got, "cmd/min") || !strings.Contains(got, "ms/min") {
		t.Errorf("own cost fact = %q", got)
	}
}

// Issue 17: the status line's own-cost fact counts, through the driver's
// own monitoring, every command the source sends in the last minute: here
// a serverStatus a second, a hostInfo, and the driver's heartbeats.
func TestTheSourcesOwnCostIsTheLastMinutesCommands(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	clk := newTestClock()
	s := newSource(t, "mongodb://"+srv.Addr(), func(c *Config) { c.Now = clk.Now })
	var res sources.Result
	for i := 0; i < 90; i++ {
		res = mustPoll(t, s)
		clk.Advance(time.Second)
	}
	var n int
	var ms float64
	if _, err := fmtSscanf(fact(res, sources.FactOwnCost), &n, &ms); err != nil {
		t.Fatalf("own cost fact %q: %v", fact(res, sources.FactOwnCost), err)
	}
	// The last 60 polls' serverStatus, and at most a few heartbeats and
	// discovery hellos (once a minute) besides.
	if n < 60 || n > 66 || ms <= 0 {
		t.Errorf("own cost: %d commands and %.1f ms in the last minute of 1 s polls, want 60-66 and some time (server saw %d serverStatus in 90 s)",
			n, ms, srv.Requests("serverStatus"))
	}
}

func fmtSscanf(s string, n *int, ms *float64) (int, error) {
	return fmt.Sscanf(s, "%d cmd/min · %g ms/min", n, ms)
}
