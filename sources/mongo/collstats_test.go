package mongo

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

// growing is a collection of n documents at t0 gaining perHour, of
// docSize bytes each.
func growing(clk *testClock, n, perHour, docSize float64) func() collStat {
	t0 := clk.Now()
	return func() collStat {
		c := n + perHour*clk.Now().Sub(t0).Hours()
		return collStat{Count: c, Size: c * docSize, Storage: c * docSize / 3}
	}
}

func TestLargestCollectionsAreReadLazilyInSlices(t *testing.T) {
	c := newCulpritMongod()
	clk := newTestClock()
	c.colls["cctv.events"] = growing(clk, 3_700_000, 52_000, 11_135)
	c.colls["cctv.cameras"] = growing(clk, 1200, 0, 800)
	c.colls["app.sessions"] = growing(clk, 820_000, 3000, 2561)
	c.colls["app.users"] = growing(clk, 96_000, 120, 3229)
	c.colls["app.system.views"] = growing(clk, 2, 0, 100)
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.MaxCollections = 0, 3
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	step := func(d time.Duration) {
		t.Helper()
		for end := clk.Now().Add(d); clk.Now().Before(end); clk.Advance(5 * time.Second) {
			res = mustPoll(t, s)
		}
	}

	step(30 * time.Second) // polls at 0, 5, ... 25 s
	if n := srv.Requests("listDatabases"); n != 0 {
		t.Fatalf("%d listDatabases in the first 25 s, want none: the first read waits 30 s", n)
	}
	if tbl := mustTable(t, res, tableColls); tbl.Note.String() != "first read 30s after start" {
		t.Errorf("note before the first read %q", tbl.Note)
	}

	step(20 * time.Second) // listDatabases, 2 listCollections, then 2 and 1 $collStats
	tbl := mustTable(t, res, tableColls)
	// Names come in listing order, so the first read covers app.* and
	// cctv.cameras; cctv.events waits for the next.
	want := "app.sessions|8.2e+05|2.1e+09|-"
	if len(tbl.Rows) != 3 || strings.Join(plainRows(tbl)[0], "|") != want {
		t.Fatalf("after the first read: %+v, want 3 rows starting %s", tbl, want)
	}
	if tbl.Note.String() != "3 collections read; 1 more over the next reads" {
		t.Errorf("note %q", tbl.Note)
	}
	if n := srv.Requests("aggregate"); n != 3 {
		t.Errorf("%d $collStats in the first read, want MaxCollections = 3", n)
	}
	if n := srv.Requests("listCollections"); n != 2 {
		t.Errorf("%d listCollections, want one per user database (app, cctv)", n)
	}

	step(5 * time.Minute) // the second read takes the one left
	if tbl = mustTable(t, res, tableColls); len(tbl.Rows) != 4 || !strings.HasPrefix(strings.Join(plainRows(tbl)[0], "|"), "cctv.events|3.70") {
		t.Fatalf("after the second read: %+v", tbl)
	}
	step(5 * time.Minute)                // the third lists again and starts over
	step(5*time.Minute + 30*time.Second) // the fourth reads cctv.events again (reads end after their last poll, so they drift)
	tbl = mustTable(t, res, tableColls)
	if len(tbl.Rows) != 4 {
		t.Fatalf("after four reads: %+v", tbl)
	}
	rows := map[string]sources.Row{}
	for _, r := range tbl.Rows {
		rows[r.Field(0)] = r
	}
	near := func(ns string, want float64) {
		r := rows[ns]
		if len(r.Cells) < 4 || r.Cells[3].None || math.Abs(r.Cells[3].Num-want) > want/50 {
			t.Errorf("%s %s, want about %.0f growth per hour", ns, r, want)
		}
	}
	near("cctv.events", 52_000)
	near("app.sessions", 3_000)
	if _, ok := rows["app.system.views"]; ok {
		t.Error("a system collection was read")
	}
	if n := srv.Requests("aggregate"); n != 3+1+3+1 {
		t.Errorf("%d $collStats over four reads, want 8", n)
	}
	if n := srv.Requests("top") + srv.Requests("listDatabases"); n != 2 {
		t.Errorf("%d top + listDatabases, want no top (not wanted) and two listings", n)
	}
	t.Logf("requests over %s: listDatabases %d, listCollections %d, $collStats %d; bytes of replies: %d, %d, %d",
		clk.Now().Sub(newTestClock().Now()), srv.Requests("listDatabases"), srv.Requests("listCollections"), srv.Requests("aggregate"),
		srv.BytesSent("listDatabases"), srv.BytesSent("listCollections"), srv.BytesSent("aggregate"))

	t.Run("on demand, without waiting for the interval", func(t *testing.T) {
		before := srv.Requests("aggregate")
		s.RefreshCollections()
		step(20 * time.Second) // list, then read
		if srv.Requests("aggregate") == before {
			t.Error("no read after RefreshCollections")
		}
	})
}

func TestLargestCollectionsFallBackToCollStatsWithoutTheStage(t *testing.T) {
	c := newCulpritMongod()
	clk := newTestClock()
	c.colls["shop.orders"] = growing(clk, 5000, 0, 1000)
	c.missing["$collStats"] = true
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	for i := 0; i < 6; i++ {
		res = mustPoll(t, s)
		clk.Advance(time.Second)
	}
	tbl := mustTable(t, res, tableColls)
	if len(tbl.Rows) != 1 || tbl.Rows[0].Plain() != "shop.orders|5000|5e+06|-" {
		t.Errorf("%+v", tbl)
	}
	if a, b := srv.Requests("aggregate"), srv.Requests("collStats"); a != 1 || b != 1 {
		t.Errorf("%d $collStats and %d collStats, want one of each", a, b)
	}
}

func TestLargestCollectionsRefusedSayWhichRole(t *testing.T) {
	c := newCulpritMongod()
	c.refuse["listDatabases"] = true
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	for i := 0; i < 60; i++ {
		res = mustPoll(t, s)
		clk.Advance(5 * time.Second)
	}
	if tbl := mustTable(t, res, tableColls); tbl.Note.String() != "needs the listDatabases privilege: grant the clusterMonitor role" {
		t.Errorf("%+v", tbl)
	}
	if n := srv.Requests("listDatabases"); n != 1 {
		t.Errorf("%d listDatabases in 5 minutes after Unauthorized, want 1", n)
	}
}

func TestLargestCollectionsSkipACollectionDroppedSinceTheListing(t *testing.T) {
	c := newCulpritMongod()
	clk := newTestClock()
	c.colls["shop.orders"] = growing(clk, 5000, 0, 1000)
	c.colls["shop.tmp"] = growing(clk, 10, 0, 1000)
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	for i := 0; i < 6; i++ {
		res = mustPoll(t, s)
		if srv.Requests("listCollections") > 0 {
			c.mu.Lock()
			delete(c.colls, "shop.tmp")
			c.mu.Unlock()
		}
		clk.Advance(time.Second)
	}
	tbl := mustTable(t, res, tableColls)
	if len(tbl.Rows) != 1 || tbl.Rows[0].Field(0) != "shop.orders" || tbl.Note.String() != "" {
		t.Errorf("%+v", tbl)
	}
}

func TestLargestCollectionsSayWhichDatabasesRefusedTheirListing(t *testing.T) {
	c := newCulpritMongod()
	clk := newTestClock()
	c.colls["shop.orders"] = growing(clk, 5000, 0, 1000)
	c.refuse["listCollections"] = true
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	for i := 0; i < 5; i++ {
		res = mustPoll(t, s)
		clk.Advance(time.Second)
	}
	if tbl := mustTable(t, res, tableColls); tbl.Note.String() != "no collections; listCollections refused on 1 databases (needs the listCollections action)" {
		t.Errorf("%+v", tbl)
	}
}

func TestOneFailedCollStatsMarksItsRowAndTheReadingGoesOn(t *testing.T) {
	c := newCulpritMongod()
	clk := newTestClock()
	c.colls["a.big"] = growing(clk, 5000, 0, 9000)
	c.colls["a.bad"] = growing(clk, 100, 0, 100)
	c.colls["a.small"] = growing(clk, 50, 0, 10)
	c.broken["a.bad"] = true
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
		cfg.WantCulprits = func() bool { return false }
	})
	var res sources.Result
	for i := 0; i < 8; i++ {
		res = mustPoll(t, s)
		clk.Advance(time.Second)
	}
	tbl := mustTable(t, res, tableColls)
	var rows []string
	for _, r := range tbl.Rows {
		rows = append(rows, r.Plain())
	}
	got := strings.Join(rows, "\n")
	if len(tbl.Rows) != 3 || !strings.HasPrefix(rows[0], "a.big|") || !strings.HasPrefix(rows[1], "a.small|") || rows[2] != "a.bad (stats failed)|-|-|-" {
		t.Errorf("rows:\n%s\nnote %q; want a.big and a.small read and a.bad marked last", got, tbl.Note)
	}
	if strings.Contains(tbl.Note.String(), "WiredTiger") {
		t.Errorf("the one failure took over the panel: %q", tbl.Note)
	}
}
