package mongo

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/sources"
)

// calm is a quiet morning: the API's pooled connections, mostly idle, a
// web view, an internal thread, and stormwatch's own $currentOp.
func calm(t *testing.T, c *culpritMongod) {
	for i := 0; i < 20; i++ {
		c.op(t, conn("api-main", fmt.Sprintf("10.0.1.%d:4%04d", i%4, i), i < 2, 0.002, "app.users", "IXSCAN { _id: 1 }"))
	}
	for i := 0; i < 5; i++ {
		c.op(t, conn("webview", fmt.Sprintf("10.0.2.1:5%04d", i), false, 0, "", ""))
	}
	c.op(t, bson.D{{Key: "type", Value: "op"}, {Key: "desc", Value: "ftdc"}, {Key: "active", Value: true}, {Key: "op", Value: "none"}, {Key: "microsecs_running", Value: int64(90e6)}})
	c.op(t, conn("stormwatch", "10.0.9.9:6000", true, 2, "admin.$cmd.aggregate", ""))
}

func TestCulpritsNameTheAppThatRampsUpCollectionScans(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, nil)

	res := mustPoll(t, s)
	top := mustTable(t, res, tableClients)
	if len(top.Rows) == 0 || top.Rows[0].Field(0) != "api-main" || top.Highlight != -1 {
		t.Fatalf("calm top clients %+v", top)
	}
	if slow := mustTable(t, res, tableSlow); len(slow.Rows) != 0 || slow.Note.String() != "no operation running longer than 1s" {
		t.Fatalf("calm slow ops %+v", slow)
	}

	// The ramp: server-c opens 12 connections and runs 10 unindexed
	// finds on cctv.events, the longest 25 s in.
	clk.Advance(time.Second)
	for i := 0; i < 12; i++ {
		c.op(t, conn("server-c", fmt.Sprintf("10.0.3.7:3%04d", i), i < 10, float64(7+2*i), "cctv.events", "COLLSCAN"))
	}
	var clients, slow sources.Table
	polls := 0
	for ; polls < 2; polls++ {
		clk.Advance(4 * time.Second)
		res = mustPoll(t, s)
		clients, slow = mustTable(t, res, tableClients), mustTable(t, res, tableSlow)
		if len(clients.Rows) > 0 && clients.Rows[0].Field(0) == "server-c" {
			break
		}
	}
	if polls == 2 {
		t.Fatalf("server-c not named within two polls of the ramp: %+v", clients)
	}
	if want := []string{"server-c", "12", "10", "25", "83.33"}; strings.Join(plainRows(clients)[0], "|") != strings.Join(want, "|") || clients.Highlight != 0 {
		t.Errorf("top clients row %q highlight %d, want %q highlighted", clients.Rows[0], clients.Highlight, want)
	}
	if len(slow.Rows) == 0 || slow.Highlight != 0 || slow.Rows[0].Plain() != "cctv.events|query|COLLSCAN|25|server-c" {
		t.Errorf("slow ops %+v, want the 25 s COLLSCAN on cctv.events highlighted", slow)
	}
	if len(slow.Rows) != rowLimit {
		t.Errorf("%d slow ops, want the server's limit of %d", len(slow.Rows), rowLimit)
	}
	for _, r := range append(clients.Rows, slow.Rows...) {
		if strings.Contains(r.Plain(), "stormwatch") {
			t.Errorf("stormwatch counted itself: %q", r)
		}
	}

	t.Run("the pipelines ask for little and give up after a second", func(t *testing.T) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.clients != c.slow || c.clients != 1+polls+1 {
			t.Errorf("%d top-clients and %d slow-ops pipelines over %d polls", c.clients, c.slow, 2+polls)
		}
		for _, p := range c.pipes {
			if !boolean(p, "$currentOp", "allUsers") {
				t.Errorf("$currentOp without allUsers: %v", p)
			}
		}
	})
}

func TestCulpritsRunEveryIntervalOnlyWhileWanted(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	srv := c.start(t)
	clk := newTestClock()
	want := false
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) { cfg.WantCulprits = func() bool { return want } })

	for i := 0; i < 30; i++ {
		res := mustPoll(t, s)
		if i == 0 {
			if tbl := mustTable(t, res, tableClients); tbl.Note.String() != noteNotWanted {
				t.Errorf("note %q before the first read", tbl.Note)
			}
		}
		clk.Advance(time.Second)
	}
	if n, m := srv.Requests("aggregate"), srv.Requests("top"); n != 0 || m != 0 {
		t.Fatalf("%d aggregate and %d top requests while not wanted, want none", n, m)
	}

	want = true
	for i := 0; i < 30; i++ { // 30 s of 1 s polls
		mustPoll(t, s)
		clk.Advance(time.Second)
	}
	// Every 5 s: two pipelines; top every 10 s, plus one 5 s after the
	// first so the rates start sooner.
	if n, m := srv.Requests("aggregate"), srv.Requests("top"); n != 12 || m != 4 {
		t.Errorf("30 s wanted: %d aggregate (want 12) and %d top (want 4)", n, m)
	}
	if max := c.maxIn.Load(); max != 1 {
		t.Errorf("%d $currentOp in flight at once", max)
	}
}

func TestCulpritsRefusedSayWhichRoleAndBackOff(t *testing.T) {
	c := newCulpritMongod()
	c.refuse["$currentOp"] = true
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, nil)
	var res sources.Result
	for i := 0; i < 24; i++ { // two minutes of 5 s polls
		res = mustPoll(t, s)
		clk.Advance(5 * time.Second)
	}
	for _, name := range []string{tableClients, tableSlow} {
		if tbl := mustTable(t, res, name); tbl.Note.String() != "needs the inprog privilege: grant the clusterMonitor role" || len(tbl.Rows) != 0 {
			t.Errorf("%s: %+v", name, tbl)
		}
	}
	if n := srv.Requests("aggregate"); n != 1 {
		t.Errorf("%d aggregate requests in two minutes after Unauthorized, want 1", n)
	}
	if hot := mustTable(t, res, tableHot); hot.Note.String() == noteInprog || srv.Requests("top") < 10 {
		t.Errorf("top is a separate privilege and kept running: %+v, %d requests", hot, srv.Requests("top"))
	}
}

func TestCulpritsOnAServerWithoutTheCommandsSayNotAvailable(t *testing.T) {
	c := newCulpritMongod()
	c.missing["$currentOp"], c.missing["top"] = true, true
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, nil)
	var res sources.Result
	for i := 0; i < 12; i++ {
		res = mustPoll(t, s)
		clk.Advance(5 * time.Second)
	}
	for _, name := range []string{tableClients, tableSlow, tableHot} {
		if tbl := mustTable(t, res, name); tbl.Note.String() != "not available on this server (7.0.9)" {
			t.Errorf("%s note %q", name, tbl.Note)
		}
	}
	if n, m := srv.Requests("aggregate"), srv.Requests("top"); n != 1 || m != 1 {
		t.Errorf("%d aggregate and %d top requests in a minute, want one each", n, m)
	}
}

func TestCulpritsOnABusyServerKeepTheLastRowsAndBackOff(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) { cfg.TopInterval = -1 })
	mustPoll(t, s)
	c.mu.Lock()
	c.delay = 8 * time.Second // far past maxTimeMS and the client's wait
	c.mu.Unlock()
	clk.Advance(5 * time.Second)
	start := time.Now()
	res := mustPoll(t, s)
	if took := time.Since(start); took > 6*time.Second { // a hang detector: the reply is held 8 s
		t.Errorf("poll took %v: it waited for the held reply", took)
	}
	tbl := mustTable(t, res, tableClients)
	if len(tbl.Rows) == 0 || !strings.Contains(tbl.Note.String(), "no reply within 1s (server busy); showing the last reply; next try in 10s") {
		t.Errorf("busy: %+v", tbl)
	}
	before := srv.Requests("aggregate")
	clk.Advance(5 * time.Second)
	mustPoll(t, s)
	if n := srv.Requests("aggregate"); n != before {
		t.Errorf("asked again 5 s after a timeout (%d -> %d requests), want a 10 s back-off", before, n)
	}
}

func TestCulpritsRunOnThePrimaryOnly(t *testing.T) {
	members := []*culpritMongod{newCulpritMongod(), newCulpritMongod(), newCulpritMongod()}
	rs, err := mongoserver.NewReplicaSet("rs0", 3, func(i int, cmd string, body bson.Raw) (bson.D, error) {
		return members[i].handle(cmd, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rs.Close)
	for i, m := range members {
		m.f.repl = func() bson.D { return rs.Hello(i) }
		calm(t, m)
	}
	clk := newTestClock()
	s := culpritSource(t, rs.URI(), clk, nil)
	for i := 0; i < 6; i++ {
		mustPoll(t, s)
		clk.Advance(5 * time.Second)
	}
	if n := rs.Member(0).Requests("aggregate"); n != 12 {
		t.Errorf("primary: %d aggregate requests in 6 polls, want 12", n)
	}
	for i := 1; i < 3; i++ {
		if n, m := rs.Member(i).Requests("aggregate"), rs.Member(i).Requests("top"); n+m != 0 {
			t.Errorf("secondary %d: %d aggregate, %d top", i, n, m)
		}
	}
	rs.SetPrimary(1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := 0; i < 5 && rs.Member(1).Requests("aggregate") == 0; i++ {
		s.Poll(ctx)
		clk.Advance(5 * time.Second)
	}
	if rs.Member(1).Requests("aggregate") == 0 {
		t.Error("the culprit commands did not follow the failover")
	}
	if max := members[0].maxIn.Load(); max != 1 {
		t.Errorf("%d $currentOp in flight at once", max)
	}
}

func TestCulpritsThroughMongosAskTheRouterOnly(t *testing.T) {
	rs, _ := startSet(t, 2)
	c := newCulpritMongod()
	calm(t, c)
	c.f.process = "mongos"
	c.f.extra = map[string]mongoserver.Handler{"listShards": func(string, bson.Raw) (bson.D, error) {
		return bson.D{{Key: "shards", Value: bson.A{bson.D{{Key: "_id", Value: "sh1"}, {Key: "host", Value: "rs0/" + rs.Member(0).Addr()}}}}}, nil
	}}
	mongos, err := mongoserver.NewMongos(c.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mongos.Close)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+mongos.Addr(), clk, nil)
	var res sources.Result
	for i := 0; i < 3; i++ {
		res = mustPoll(t, s)
		clk.Advance(5 * time.Second)
	}
	if top := mustTable(t, res, tableClients); len(top.Rows) == 0 || top.Rows[0].Field(0) != "api-main" {
		t.Errorf("top clients through mongos %+v", top)
	}
	if hot := mustTable(t, res, tableHot); hot.Note.String() != "not available through mongos (top is per mongod)" {
		t.Errorf("hot collections through mongos %+v", hot)
	}
	if n := mongos.Requests("top"); n != 0 {
		t.Errorf("%d top requests to a mongos", n)
	}
	c.mu.Lock()
	clients := c.pipes[0]
	c.mu.Unlock()
	if !boolean(clients, "$currentOp", "localOps") {
		t.Errorf("top clients on mongos without localOps (it would list the router's connections to the shards): %v", clients)
	}
	for i := 0; i < 2; i++ {
		if n := rs.Member(i).Requests("aggregate"); n != 0 {
			t.Errorf("shard member %d got %d aggregate requests", i, n)
		}
	}
}

func TestHotCollectionsReadLessOftenWhenTopIsLarge(t *testing.T) {
	// A server that has touched 3300 long namespaces: ~1.1 MB of top.
	// (Real replies carry more counters, ~350 B a namespace.) Applied
	// directly: on the wire a reply this size takes the race detector
	// past the 1 s deadline on a loaded machine.
	totals := bson.D{{Key: "note", Value: "all times in microseconds"}}
	pad := strings.Repeat("x", 230)
	for i := 0; i < 3300; i++ {
		totals = append(totals, bson.E{Key: fmt.Sprintf("tenant%04d.%s", i, pad), Value: bson.D{
			{Key: "readLock", Value: bson.D{{Key: "time", Value: int64(i)}, {Key: "count", Value: int64(1)}}},
			{Key: "writeLock", Value: bson.D{{Key: "time", Value: int64(0)}, {Key: "count", Value: int64(0)}}},
		}})
	}
	reply := mustRaw(t, bson.D{{Key: "totals", Value: totals}, {Key: "ok", Value: 1.0}})
	clk := newTestClock()
	s := culpritSource(t, "mongodb://127.0.0.1:1", clk, nil)
	at := clk.Now()
	s.applyTop(at, stepResult{step: step{kind: stepTop}, reply: reply, at: at})
	if got := s.cul.hot.next.Sub(at); got != 10*time.Second {
		t.Errorf("second read %s after the first, want 10s (half the stretched 20s)", got)
	}
	at = at.Add(10 * time.Second)
	s.applyTop(at, stepResult{step: step{kind: stepTop}, reply: reply, at: at})
	hot := s.cul.hot.table
	if got := s.cul.hot.next.Sub(at); got != 20*time.Second {
		t.Errorf("next read %s later, want 20s for %d B", got, len(reply))
	}
	if !strings.HasPrefix(hot.Note.String(), "top sends 1.") || !strings.HasSuffix(hot.Note.String(), "(3300 namespaces): read every 20s") {
		t.Errorf("note %q", hot.Note)
	}
	t.Logf("%d B of top: %q", len(reply), hot.Note)
}
