package demo

import (
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CulpritReply answers the diagnostic commands the MongoDB source sends for
// its culprit panels from the scenario state, in the shape a real mongod
// sends them. It returns false for a command it does not script, which the
// scripted mongod answers with CommandNotFound, exactly as an old server
// would.
//
// The contract is the MongoDB source's (sources/mongo, at clientsCommand,
// slowCommand and collStatsCommand): the grouping, filtering and
// projection in those pipelines happen on the server, so these replies are
// already grouped and cut down:
//
//   - aggregate {$currentOp: {idleConnections: true}} (top clients): one
//     document {top: [{_id: app, conns, active, longest µs}], all: [{_id:
//     null, conns, active, clients}]}.
//   - aggregate {$currentOp: {...}} without idleConnections (slow ops): the
//     active operations over 1 s, longest first, as {ns, op, planSummary,
//     microsecs_running, appName, client}.
//   - top: cumulative read and write lock time per namespace, in µs.
//   - listDatabases, listCollections: names only.
//   - aggregate [$collStats, $project] on a collection: {ns, storageStats:
//     {count, size, storageSize, totalIndexSize}}; collStats: the same
//     numbers at the top level.
//
// In the story, server-c runs unindexed finds on cctv.events (8-30 s each)
// while st.ServerCActive and holds 34 of 48 active operations (71%); the
// API (api-main) and the web view (webview) hold the rest.
//
// top's counters and the collections' document counts must only grow, and
// a State is an instant, not a history: they are integrated here, in one
// process-wide accumulator, over the time between calls (at most a minute
// at a time, never backwards).
func CulpritReply(cmd string, body bson.Raw, st State, now time.Time) (bson.D, bool) {
	switch cmd {
	case "aggregate":
		stage, opts := firstStage(body)
		switch stage {
		case "$currentOp":
			if idle, _ := opts.Lookup("idleConnections").BooleanOK(); idle {
				return cursor("admin.$cmd.aggregate", bson.A{topClients(st, now)}), true
			}
			return cursor("admin.$cmd.aggregate", slowOps(st, now)), true
		case "$collStats":
			db, _ := body.Lookup("$db").StringValueOK()
			coll, _ := body.Lookup("aggregate").StringValueOK()
			c, ok := collection(db+"."+coll, st, now)
			if !ok {
				return nil, false
			}
			return cursor(db+"."+coll, bson.A{bson.D{{Key: "ns", Value: db + "." + coll}, {Key: "storageStats", Value: c}}}), true
		}
	case "collStats":
		db, _ := body.Lookup("$db").StringValueOK()
		coll, _ := body.Lookup("collStats").StringValueOK()
		c, ok := collection(db+"."+coll, st, now)
		return append(bson.D{{Key: "ns", Value: db + "." + coll}}, c...), ok
	case "top":
		return topReply(st, now), true
	case "listDatabases":
		var dbs bson.A
		for _, n := range []string{"admin", "app", "cctv", "config", "local"} {
			dbs = append(dbs, bson.D{{Key: "name", Value: n}})
		}
		return bson.D{{Key: "databases", Value: dbs}}, true
	case "listCollections":
		db, _ := body.Lookup("$db").StringValueOK()
		batch := bson.A{}
		for _, c := range demoColls {
			if c.db == db {
				batch = append(batch, bson.D{{Key: "name", Value: c.coll}, {Key: "type", Value: "collection"}})
			}
		}
		return cursor(db+".$cmd.listCollections", batch), true
	}
	return nil, false
}

func firstStage(body bson.Raw) (string, bson.Raw) {
	arr, ok := body.Lookup("pipeline").ArrayOK()
	if !ok {
		return "", nil
	}
	v, err := arr.IndexErr(0)
	if err != nil {
		return "", nil
	}
	first, ok := v.DocumentOK()
	if !ok {
		return "", nil
	}
	el, err := first.IndexErr(0)
	if err != nil {
		return "", nil
	}
	opts, _ := el.Value().DocumentOK()
	return el.Key(), opts
}

func cursor(ns string, batch bson.A) bson.D {
	return bson.D{{Key: "cursor", Value: bson.D{{Key: "firstBatch", Value: batch}, {Key: "id", Value: int64(0)}, {Key: "ns", Value: ns}}}}
}

// scanSecs is how long server-c's longest scan has run: 8 to 30 s, as
// each scan finishes and the next one starts.
func scanSecs(now time.Time) float64 {
	return 8 + float64(now.UnixMilli()%23_000)/1000
}

func topClients(st State, now time.Time) bson.D {
	groups := clientGroups(st, now)
	top := bson.A{}
	var conns, active int32
	for _, g := range groups {
		var longest any // $max over no active operation is null
		if g.active > 0 {
			longest = int64(g.longest * 1e6)
		}
		top = append(top, bson.D{{Key: "_id", Value: g.app}, {Key: "conns", Value: g.conns}, {Key: "active", Value: g.active}, {Key: "longest", Value: longest}})
		conns += g.conns
		active += g.active
	}
	all := bson.A{bson.D{{Key: "_id", Value: nil}, {Key: "conns", Value: conns}, {Key: "active", Value: active}, {Key: "clients", Value: int32(len(groups))}}}
	return bson.D{{Key: "top", Value: top}, {Key: "all", Value: all}}
}

func slowOps(st State, now time.Time) bson.A {
	batch := bson.A{}
	if !st.ServerCActive {
		return batch
	}
	longest := scanSecs(now)
	for i, behind := range []float64{0, 8, 19} {
		secs := longest - behind
		if secs <= 1 {
			continue
		}
		batch = append(batch, bson.D{
			{Key: "ns", Value: "cctv.events"},
			{Key: "op", Value: "query"},
			{Key: "planSummary", Value: "COLLSCAN"},
			{Key: "microsecs_running", Value: int64(secs * 1e6)},
			{Key: "appName", Value: "server-c"},
			{Key: "client", Value: fmt.Sprintf("10.0.3.7:%d", 41022+i)},
		})
	}
	return batch
}

// demoColls are the story's collections: cctv.events is the big one that
// server-c scans.
var demoColls = []struct {
	db, coll      string
	docs, perHour float64
	docBytes      float64
	indexes       float64 // bytes of index per document
}{
	{"app", "orders", 150_000, 800, 1800, 60},
	{"app", "sessions", 820_000, 3000, 2561, 90},
	{"app", "users", 96_000, 120, 3229, 120},
	{"cctv", "cameras", 1200, 0, 900, 40},
	{"cctv", "events", 3_700_000, 52_000, 11_135, 45},
}

// nsRates are the lock time (µs per second) each namespace takes, calm
// and extra while server-c scans.
var nsRates = map[string]struct{ read, write, scanRead float64 }{
	"cctv.events":    {20_000, 5_000, 640_000},
	"app.sessions":   {40_000, 25_000, 0},
	"app.users":      {15_000, 2_000, 0},
	"app.orders":     {8_000, 6_000, 0},
	"cctv.cameras":   {500, 0, 0},
	"local.oplog.rs": {1_000, 30_000, 0},
}

// acc integrates the counters between calls.
var acc struct {
	sync.Mutex
	last  time.Time
	top   map[string][4]float64 // read µs, read n, write µs, write n
	docs  map[string]float64
	ready bool
}

func advance(st State, now time.Time) {
	if !acc.ready {
		acc.top, acc.docs, acc.ready, acc.last = map[string][4]float64{}, map[string]float64{}, true, now
		for ns, r := range nsRates { // a day and a half of uptime
			acc.top[ns] = [4]float64{r.read * 129_600, r.read / 200 * 129_600, r.write * 129_600, r.write / 300 * 129_600}
		}
		for _, c := range demoColls {
			acc.docs[c.db+"."+c.coll] = c.docs
		}
	}
	dt := min(max(now.Sub(acc.last).Seconds(), 0), 60)
	if now.After(acc.last) {
		acc.last = now
	}
	load := max(st.OpsPerSec/400, 0.5) // the ad push multiplies the API's work
	for ns, r := range nsRates {
		v := acc.top[ns]
		read := r.read * load
		if st.ServerCActive {
			read += r.scanRead
		}
		v[0] += read * dt
		v[1] += read / 200 * dt
		v[2] += r.write * load * dt
		v[3] += r.write * load / 300 * dt
		acc.top[ns] = v
	}
	for _, c := range demoColls {
		acc.docs[c.db+"."+c.coll] += c.perHour * dt / 3600
	}
}

func topReply(st State, now time.Time) bson.D {
	acc.Lock()
	defer acc.Unlock()
	advance(st, now)
	totals := bson.D{{Key: "note", Value: "all times in microseconds"}}
	for _, ns := range []string{"app.orders", "app.sessions", "app.users", "cctv.cameras", "cctv.events", "local.oplog.rs"} {
		v := acc.top[ns]
		pair := func(t, n float64) bson.D {
			return bson.D{{Key: "time", Value: int64(t)}, {Key: "count", Value: int64(n)}}
		}
		totals = append(totals, bson.E{Key: ns, Value: bson.D{
			{Key: "total", Value: pair(v[0]+v[2], v[1]+v[3])},
			{Key: "readLock", Value: pair(v[0], v[1])},
			{Key: "writeLock", Value: pair(v[2], v[3])},
		}})
	}
	return bson.D{{Key: "totals", Value: totals}}
}

// collection is one collection's numbers as storageStats has them.
func collection(ns string, st State, now time.Time) (bson.D, bool) {
	acc.Lock()
	defer acc.Unlock()
	advance(st, now)
	for _, c := range demoColls {
		if c.db+"."+c.coll != ns {
			continue
		}
		n := acc.docs[ns]
		return bson.D{
			{Key: "count", Value: int64(n)},
			{Key: "size", Value: int64(n * c.docBytes)},
			{Key: "storageSize", Value: int64(n * c.docBytes / 3.2)},
			{Key: "totalIndexSize", Value: int64(n * c.indexes)},
		}, true
	}
	return nil, false
}
