package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The API's and the web view's side of the story, as the actions see it:
// top clients counts their active operations, so listing them ($currentOp
// by app) shows as many, each a short indexed find; explain plans them on
// their own collections and indexes. A real server would; the demo used
// to list none and say "no active operation of this app now" beside a
// table that counted three.

// clientGroup is one app's row of top clients.
type clientGroup struct {
	app           string
	conns, active int32
	longest       float64 // s
}

// clientGroups are top clients' rows at st, busiest first, with the
// connections serverStatus counts shared out so the table adds up to it.
func clientGroups(st State, now time.Time) []clientGroup {
	groups := []clientGroup{
		{"api-main", 90, 3, 0.01},
		{"webview", 25, 1, 0.01},
		{"server-c", 5, 0, 0},
	}
	api, web, serverC := 0, 1, 2
	if st.ServerCActive {
		groups = []clientGroup{
			{"server-c", 180, 34, scanSecs(now)},
			{"api-main", 260, 12, 0.4},
			{"webview", 40, 2, 0.1},
		}
		serverC, api, web = 0, 1, 2
	}
	if left := int32(math.Round(st.Connections)) - groups[serverC].conns; left > 0 {
		share := float64(groups[web].conns) / float64(groups[api].conns+groups[web].conns)
		groups[web].conns = int32(math.Round(float64(left) * share))
		groups[api].conns = left - groups[web].conns
	}
	return groups
}

// indexedApps are the apps other than server-c and what they run (one
// owner with the shapes sampler: apiRead, webviewRead).
var indexedApps = map[string]struct {
	read   func(i int, now time.Time) read
	subnet int
	opids  int32
}{
	"api-main": {apiRead, 1, 1_000_000},
	"webview":  {webviewRead, 2, 40_000_000},
}

// indexedOps are app's active operations at now, as $currentOp lists them
// for x and k: as many as top clients counts, from its longest down. They
// last milliseconds, so their opids are new every 100 ms, as a real
// server's are.
func indexedOps(app string, st State, now time.Time) []bson.D {
	a, ok := indexedApps[app]
	if !ok {
		return nil
	}
	var g clientGroup
	for _, c := range clientGroups(st, now) {
		if c.app == app {
			g = c
		}
	}
	tick := int32(now.UnixMilli() / 100 % 1_000_000)
	var ops []bson.D
	for i := range int(g.active) {
		r := a.read(i, now)
		db, coll, _ := strings.Cut(r.ns, ".")
		command := bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: r.filter}}
		if r.sort != nil {
			command = append(command, bson.E{Key: "sort", Value: r.sort})
		}
		ops = append(ops, bson.D{
			{Key: "opid", Value: a.opids + tick*32 + int32(i)},
			{Key: "ns", Value: r.ns},
			{Key: "op", Value: "query"},
			{Key: "planSummary", Value: r.plan},
			{Key: "microsecs_running", Value: int64(g.longest * (1 - float64(i)/float64(g.active)) * 1e6)},
			{Key: "appName", Value: app},
			{Key: "client", Value: fmt.Sprintf("10.0.%d.%d:%d", a.subnet, 11+i%4, 50_100+i)},
			{Key: "command", Value: append(command, bson.E{Key: "$db", Value: db})},
		})
	}
	return ops
}

// servedBy is the read of another app on db.coll: its index.
func servedBy(db, coll string, now time.Time) (read, bool) {
	for _, a := range indexedApps {
		if r := a.read(0, now); r.ns == db+"."+coll {
			return r, true
		}
	}
	return read{}, false
}

// indexName is the name the server gives an index: user_id_1,
// camera_id_1_ts_-1.
func indexName(keys bson.D) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s_%v", k.Key, k.Value))
	}
	return strings.Join(parts, "_")
}

// indexesOf are a demo collection's indexes as listIndexes gives them:
// cctv.events has only _id_, which is why server-c scans it.
func indexesOf(db, coll string, now time.Time) (bson.A, bool) {
	idx := func(name string, key bson.D) bson.D {
		return bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: key}, {Key: "name", Value: name}}
	}
	out := bson.A{idx("_id_", bson.D{{Key: "_id", Value: int32(1)}})}
	if db == "cctv" && coll == "events" {
		return out, true
	}
	if r, ok := servedBy(db, coll, now); ok {
		return append(out, idx(indexName(r.index), r.index)), true
	}
	return nil, false
}

// explainIndexed is explain's queryPlanner for another app's find: its
// index serves it, so the plan fetches what an index scan found.
func explainIndexed(r read) bson.D {
	return bson.D{
		{Key: "explainVersion", Value: "1"},
		{Key: "queryPlanner", Value: bson.D{
			{Key: "namespace", Value: r.ns},
			{Key: "indexFilterSet", Value: false},
			{Key: "winningPlan", Value: bson.D{{Key: "stage", Value: "FETCH"},
				{Key: "inputStage", Value: bson.D{{Key: "stage", Value: "IXSCAN"}, {Key: "keyPattern", Value: r.index},
					{Key: "indexName", Value: indexName(r.index)}, {Key: "direction", Value: "forward"}}}}},
			{Key: "rejectedPlans", Value: bson.A{}},
		}},
		{Key: "serverInfo", Value: bson.D{{Key: "version", Value: "7.0.14"}}},
	}
}
