package demo

import (
	"math"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
)

// The demo's answers to the dashboard's actions (x explain, k stop), in
// the shape a 7.0 mongod gives them: server-c's scans are finds on
// cctv.events filtered on camera_id and ts and sorted by ts, which no
// index serves (only _id_ exists), so explain says COLLSCAN and the
// proposal reads {camera_id: 1, ts: -1}. Stopping them (killOp) makes the
// story recover from that instant, as the scripted pause at 1:50 does.

// demoStop is when server-c was stopped from the dashboard, in the loop it
// happened in; loop -1 is never.
type demoStop struct {
	mu   sync.Mutex
	loop int
	at   float64 // seconds into that loop
}

// loopPos is which loop d falls in and how far into it.
func loopPos(d time.Duration) (int, float64) {
	n := math.Floor(d.Seconds() / Loop.Seconds())
	return int(n), d.Seconds() - n*Loop.Seconds()
}

// state is the scenario at now, with a stop from the dashboard applied:
// from the stop on, the DB follows its recovery after the scripted pause,
// shifted to start at the stop; traffic (API CPU, requests) is unchanged.
func (m *mongod) state(now time.Time) State {
	d := now.Sub(m.start)
	st := m.sc.At(d)
	loop, t := loopPos(d)
	m.stop.mu.Lock()
	sl, at := m.stop.loop, m.stop.at
	m.stop.mu.Unlock()
	pause := m.sc.serverC[1]
	if sl != loop || t < at || at >= pause {
		return st
	}
	shifted := m.sc.At(time.Duration(math.Min(pause+(t-at), Loop.Seconds()-0.001) * float64(time.Second)))
	st.DBCPU, st.SecondaryCPU, st.OpsPerSec = shifted.DBCPU, shifted.SecondaryCPU, shifted.OpsPerSec
	st.Connections, st.QueueReaders, st.QueueWriters = shifted.Connections, shifted.QueueReaders, shifted.QueueWriters
	st.LatencyMs, st.ScanRatio, st.ServerCActive = shifted.LatencyMs, shifted.ScanRatio, false
	return st
}

// scanOpID is the opid of server-c's i-th running scan.
func scanOpID(i int) int32 { return int32(48_200 + i) }

// actionReply answers the actions' commands; false for anything else.
func (m *mongod) actionReply(cmd string, body bson.Raw, st State, now time.Time) (bson.D, bool) {
	switch cmd {
	case "aggregate":
		stage, _ := firstStage(body)
		switch stage {
		case "$currentOp":
			return m.actionOps(body, st, now)
		case "$indexStats":
			db, _ := body.Lookup("$db").StringValueOK()
			coll, _ := body.Lookup("aggregate").StringValueOK()
			idx, ok := indexesOf(db, coll, now)
			if !ok {
				return nil, false
			}
			stats := bson.A{}
			for i, ix := range idx {
				name, _ := ix.(bson.D)[2].Value.(string)
				stats = append(stats, bson.D{{Key: "name", Value: name}, {Key: "accesses", Value: bson.D{{Key: "ops", Value: int64(1520 + 90_000*i)}}}})
			}
			return cursor(db+"."+coll, stats), true
		}
	case "explain":
		inner, _ := body.Lookup("explain").DocumentOK()
		db, _ := body.Lookup("$db").StringValueOK()
		coll, _ := inner.Lookup("find").StringValueOK()
		if db == "cctv" && coll == "events" {
			return explainScan(), true
		}
		if r, ok := servedBy(db, coll, now); ok {
			return explainIndexed(r), true
		}
		return nil, false
	case "listIndexes":
		db, _ := body.Lookup("$db").StringValueOK()
		coll, _ := body.Lookup("listIndexes").StringValueOK()
		idx, ok := indexesOf(db, coll, now)
		if !ok {
			return nil, false
		}
		return cursor(db+"."+coll, idx), true
	case "killOp":
		id, _ := body.Lookup("op").AsInt64OK()
		if id >= int64(scanOpID(0)) && id <= int64(scanOpID(2)) && st.ServerCActive {
			loop, t := loopPos(now.Sub(m.start))
			m.stop.mu.Lock()
			m.stop.loop, m.stop.at = loop, t
			m.stop.mu.Unlock()
		}
		return bson.D{{Key: "info", Value: "attempting to kill op"}}, true
	}
	return nil, false
}

// actionOps answers the actions' $currentOp: the listing of an app's
// operations ($match with $or) and the check by opid. The culprit tables'
// own $currentOp pipelines fall through to CulpritReply.
func (m *mongod) actionOps(body bson.Raw, st State, now time.Time) (bson.D, bool) {
	arr, _ := body.Lookup("pipeline").ArrayOK()
	second, err := arr.IndexErr(1)
	if err != nil {
		return nil, false
	}
	match, _ := second.Document().Lookup("$match").DocumentOK()
	app, byApp := listedApp(match)
	asked, byID := askedIDs(match)
	if !byApp && !byID {
		return nil, false // the culprit tables' own pipelines
	}
	var ops []bson.D
	for i, op := range slowOps(st, now) {
		full := append(bson.D{{Key: "opid", Value: scanOpID(i)}}, op.(bson.D)...)
		full = append(full, bson.E{Key: "command", Value: bson.D{
			{Key: "find", Value: "events"},
			{Key: "filter", Value: bson.D{{Key: "camera_id", Value: int32(40 + i)},
				{Key: "ts", Value: bson.D{{Key: "$gte", Value: bson.NewDateTimeFromTime(now.Add(-90 * 24 * time.Hour).Truncate(time.Hour))}}}}},
			{Key: "sort", Value: bson.D{{Key: "ts", Value: int32(-1)}}},
			{Key: "$db", Value: "cctv"},
		}})
		ops = append(ops, full)
	}
	for name := range indexedApps {
		ops = append(ops, indexedOps(name, st, now)...)
	}
	batch := bson.A{}
	for _, op := range ops {
		id := op[0].Value.(int32)
		switch {
		case byID && asked[int64(id)] && longRunning(op):
			// The check after killOp: which of these still run. The
			// apps' indexed finds take milliseconds: they are over.
			batch = append(batch, bson.D{{Key: "opid", Value: id}})
		case byApp && appOf(op) == app:
			batch = append(batch, op)
		}
	}
	return cursor("admin.$cmd.aggregate", batch), true
}

// askedIDs are the opids of a check after killOp ({opid: {$in: [...]}}).
func askedIDs(match bson.Raw) (map[int64]bool, bool) {
	in, ok := match.Lookup("opid").DocumentOK()
	if !ok {
		return nil, false
	}
	asked := map[int64]bool{}
	arr, _ := in.Lookup("$in").ArrayOK()
	vals, _ := arr.Values()
	for _, v := range vals {
		if n, ok := v.AsInt64OK(); ok {
			asked[n] = true
		}
	}
	return asked, true
}

func longRunning(op bson.D) bool {
	for _, e := range op {
		if e.Key == "microsecs_running" {
			us, _ := e.Value.(int64)
			return us > 1e6
		}
	}
	return false
}

func appOf(op bson.D) string {
	for _, e := range op {
		if e.Key == "appName" {
			s, _ := e.Value.(string)
			return s
		}
	}
	return ""
}

// listedApp is the app a listing's $or names ({appName: app}); the top
// clients' $or (client or client_s exists) names none.
func listedApp(match bson.Raw) (string, bool) {
	for _, d := range bsonread.Docs(match.Lookup("$or")) {
		if s, ok := d.Lookup("appName").StringValueOK(); ok {
			return s, true
		}
	}
	return "", false
}

// explainScan is explain's queryPlanner for server-c's find: no index
// fits, so the only plan is a collection scan feeding an in-memory sort.
func explainScan() bson.D {
	return bson.D{
		{Key: "explainVersion", Value: "1"},
		{Key: "queryPlanner", Value: bson.D{
			{Key: "namespace", Value: "cctv.events"},
			{Key: "indexFilterSet", Value: false},
			{Key: "winningPlan", Value: bson.D{{Key: "stage", Value: "SORT"}, {Key: "sortPattern", Value: bson.D{{Key: "ts", Value: int32(-1)}}},
				{Key: "inputStage", Value: bson.D{{Key: "stage", Value: "COLLSCAN"}, {Key: "direction", Value: "forward"}}}}},
			{Key: "rejectedPlans", Value: bson.A{}},
		}},
		{Key: "serverInfo", Value: bson.D{{Key: "version", Value: "7.0.14"}}},
	}
}
