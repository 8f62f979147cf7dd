package mongo

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources"
)

// culpritMongod scripts what the culprit commands read on a mongod: its
// current operations, top counters and collections. It answers the
// pipelines as the server's stages would (asserver_test.go) and hands
// every other command to a fakeMongod.
type culpritMongod struct {
	f *fakeMongod

	mu       sync.Mutex
	ops      []bson.Raw
	top      map[string]topNS
	colls    map[string]func() collStat // "db.coll" -> its stats now
	refuse   map[string]bool            // commands answered Unauthorized
	missing  map[string]bool            // commands (or "$currentOp", "$collStats") the server lacks
	broken   map[string]bool            // "db.coll" whose stats fail with an internal error
	delay    time.Duration              // before answering a $currentOp
	pipes    []bson.Raw                 // every $currentOp pipeline received
	clients  int
	slow     int
	inFlight atomic.Int32
	maxIn    atomic.Int32
	badTime  []string        // culprit commands without exactly one maxTimeMS of at most 1 s
	cursors  map[int64][]any // open listCollections cursors: the names still to send
	maxBatch int             // the most names one reply carried
}

func newCulpritMongod() *culpritMongod {
	return &culpritMongod{f: newFake(), top: map[string]topNS{}, colls: map[string]func() collStat{},
		refuse: map[string]bool{}, missing: map[string]bool{}, broken: map[string]bool{}}
}

// op adds a scripted current operation.
func (c *culpritMongod) op(t *testing.T, d bson.D) {
	c.mu.Lock()
	c.ops = append(c.ops, mustRaw(t, d))
	c.mu.Unlock()
}

// conn is an idle or active client operation as currentOp reports it.
func conn(app, client string, active bool, secs float64, ns, plan string) bson.D {
	d := bson.D{{Key: "type", Value: "op"}, {Key: "client", Value: client}, {Key: "active", Value: active}}
	if app != "" {
		d = append(d, bson.E{Key: "appName", Value: app})
	}
	if active {
		d = append(d, bson.E{Key: "op", Value: "query"}, bson.E{Key: "ns", Value: ns},
			bson.E{Key: "secs_running", Value: int64(secs)}, bson.E{Key: "microsecs_running", Value: int64(secs * 1e6)})
		if plan != "" {
			d = append(d, bson.E{Key: "planSummary", Value: plan})
		}
	}
	return d
}

func cursorReply(ns string, batch bson.A) bson.D {
	return bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(0)}, {Key: "ns", Value: ns}, {Key: "firstBatch", Value: batch}}}}
}

func (c *culpritMongod) handle(cmd string, body bson.Raw) (bson.D, error) {
	stage := ""
	if cmd == "aggregate" {
		if vals, err := body.Lookup("pipeline").Array().Values(); err == nil && len(vals) > 0 {
			if el, err := vals[0].Document().IndexErr(0); err == nil {
				stage = el.Key()
			}
		}
	}
	c.mu.Lock()
	refused, missing := c.refuse[cmd] || c.refuse[stage], c.missing[cmd] || c.missing[stage]
	// getMore and killCursors carry no maxTimeMS (a server refuses it on a
	// getMore of a plain cursor); the client's deadline bounds them.
	if cmd != "serverStatus" && cmd != "hostInfo" && cmd != "getMore" && cmd != "killCursors" {
		n, ms := 0, int64(0)
		elems, _ := body.Elements()
		for _, e := range elems {
			if e.Key() == "maxTimeMS" {
				n++
				ms, _ = e.Value().AsInt64OK()
			}
		}
		if n != 1 || ms <= 0 || ms > 1000 {
			c.badTime = append(c.badTime, fmt.Sprintf("%s: %d maxTimeMS, %d ms", cmd, n, ms))
		}
	}
	c.mu.Unlock()
	switch {
	case refused:
		return nil, mongoserver.ErrUnauthorized
	case missing && stage != "":
		return nil, &mongoserver.CommandError{Code: 40324, CodeName: "Location40324", Message: "Unrecognized pipeline stage name: '" + stage + "'"}
	case missing:
		return nil, nil // CommandNotFound
	case cmd == "aggregate" && stage != "$currentOp" && stage != "$collStats":
		return nil, &mongoserver.CommandError{Code: 40324, CodeName: "Location40324", Message: "Unrecognized pipeline stage name: '" + stage + "'"}
	}
	switch {
	case stage == "$currentOp":
		return c.currentOp(body)
	case stage == "$collStats" || cmd == "collStats":
		return c.collStats(cmd, body)
	case cmd == "top":
		return c.topReply(), nil
	case cmd == "listDatabases":
		return c.listDatabases(), nil
	case cmd == "listCollections":
		return c.page(body, c.listCollections(str(body, "$db"))), nil
	case cmd == "getMore":
		return c.getMore(body)
	case cmd == "killCursors":
		return bson.D{{Key: "ok", Value: 1.0}}, nil
	}
	return c.f.handle(cmd, body)
}

func (c *culpritMongod) currentOp(body bson.Raw) (bson.D, error) {
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for {
		m := c.maxIn.Load()
		if n <= m || c.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	first := bson.Raw(body.Lookup("pipeline").Array().Index(0).Document())
	c.mu.Lock()
	delay := c.delay
	c.pipes = append(c.pipes, first)
	ops := append([]bson.Raw(nil), c.ops...)
	idle := boolean(first, "$currentOp", "idleConnections")
	if idle {
		c.clients++
	} else {
		c.slow++
	}
	c.mu.Unlock()
	time.Sleep(delay)
	if idle {
		return cursorReply("admin.$cmd.aggregate", bson.A{groupClientsAsServer(ops, "stormwatch")}), nil
	}
	return cursorReply("admin.$cmd.aggregate", slowOpsAsServer(ops, "stormwatch")), nil
}

func (c *culpritMongod) topReply() bson.D {
	c.mu.Lock()
	defer c.mu.Unlock()
	totals := bson.D{{Key: "note", Value: "all times in microseconds"}}
	for _, ns := range sortedKeys(c.top) {
		v := c.top[ns]
		totals = append(totals, bson.E{Key: ns, Value: bson.D{
			{Key: "total", Value: bson.D{{Key: "time", Value: int64(v.ReadUs + v.WriteUs)}, {Key: "count", Value: int64(v.ReadN + v.WriteN)}}},
			{Key: "readLock", Value: bson.D{{Key: "time", Value: int64(v.ReadUs)}, {Key: "count", Value: int64(v.ReadN)}}},
			{Key: "writeLock", Value: bson.D{{Key: "time", Value: int64(v.WriteUs)}, {Key: "count", Value: int64(v.WriteN)}}},
		}})
	}
	return bson.D{{Key: "totals", Value: totals}}
}

func (c *culpritMongod) listDatabases() bson.D {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{"admin": true, "local": true, "config": true}
	for ns := range c.colls {
		db, _, _ := strings.Cut(ns, ".")
		seen[db] = true
	}
	var dbs bson.A
	for _, db := range sortedKeys(seen) {
		dbs = append(dbs, bson.D{{Key: "name", Value: db}})
	}
	return bson.D{{Key: "databases", Value: dbs}}
}

func (c *culpritMongod) listCollections(db string) bson.D {
	c.mu.Lock()
	defer c.mu.Unlock()
	batch := bson.A{}
	names := map[string]bool{}
	for ns := range c.colls {
		if d, coll, _ := strings.Cut(ns, "."); d == db {
			names[coll] = true
		}
	}
	if db == "admin" {
		names["system.version"] = true
	}
	for _, n := range sortedKeys(names) {
		batch = append(batch, bson.D{{Key: "name", Value: n}, {Key: "type", Value: "collection"}})
	}
	return cursorReply(db+".$cmd.listCollections", batch)
}

func (c *culpritMongod) collStats(cmd string, body bson.Raw) (bson.D, error) {
	db := str(body, "$db")
	coll := str(body, cmd)
	c.mu.Lock()
	f, broken := c.colls[db+"."+coll], c.broken[db+"."+coll]
	c.mu.Unlock()
	if broken {
		return nil, &mongoserver.CommandError{Code: 1, CodeName: "InternalError", Message: "WiredTiger error"}
	}
	if f == nil {
		return nil, &mongoserver.CommandError{Code: 26, CodeName: "NamespaceNotFound", Message: "ns not found"}
	}
	st := f()
	if cmd == "collStats" {
		return bson.D{{Key: "ns", Value: db + "." + coll}, {Key: "count", Value: int32(st.Count)}, {Key: "size", Value: int64(st.Size)}, {Key: "storageSize", Value: int64(st.Storage)}}, nil
	}
	return cursorReply(db+"."+coll, bson.A{bson.D{{Key: "ns", Value: db + "." + coll},
		{Key: "storageStats", Value: bson.D{{Key: "count", Value: int64(st.Count)}, {Key: "size", Value: int64(st.Size)}, {Key: "storageSize", Value: int64(st.Storage)}}}}}), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *culpritMongod) start(t *testing.T) *mongoserver.Server {
	t.Helper()
	srv, err := mongoserver.New(c.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		for _, cmd := range srv.Unknown() {
			if !c.missing[cmd] {
				t.Errorf("unexpected command %q", cmd)
			}
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.badTime) > 0 {
			t.Errorf("commands without one maxTimeMS of at most 1 s (a duplicate fails on the server): %q", c.badTime)
		}
	})
	return srv
}

// testClock is a settable clock safe to read from the polling goroutines.
type testClock = monitortest.Clock

func newTestClock() *testClock {
	return monitortest.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
}

// culpritSource is a source with the culprit tables on, default intervals
// unless mut changes them, on the test clock.
func culpritSource(t *testing.T, uri string, clk *testClock, mut func(*Config)) *Source {
	return newSource(t, uri, func(c *Config) {
		c.CulpritInterval, c.TopInterval, c.CollStatsInterval = 0, 0, -1
		// The query-shape profiler's own $currentOp and getLog are
		// counted by its own tests (shapes_test.go).
		c.ShapeInterval = -1
		c.Now = clk.Now
		if mut != nil {
			mut(c)
		}
	})
}

func table(res sources.Result, name string) (sources.Table, bool) {
	for _, t := range res.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return sources.Table{}, false
}

func mustTable(t *testing.T, res sources.Result, name string) sources.Table {
	t.Helper()
	tbl, ok := table(res, name)
	if !ok {
		t.Fatalf("no %q table in %+v", name, res.Tables)
	}
	return tbl
}

// plainRows is the table's rows as fields (see sources.Row.Field), with
// numbers rounded to four significant digits and text columns as text
// even when empty.
func plainRows(t sources.Table) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		var fs []string
		for i, c := range r.Cells {
			f := r.Field(i)
			switch {
			case i < len(t.Columns) && !t.Columns[i].Kind.Numeric():
				f = c.Text.String()
			case !c.None:
				f = strconv.FormatFloat(c.Num, 'g', 4, 64)
			}
			fs = append(fs, f)
		}
		out = append(out, fs)
	}
	return out
}
