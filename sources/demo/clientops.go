package demo

import (
	"fmt"
	"math"
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

// indexedApp is what an app other than server-c runs: finds on one
// collection served by one index.
type indexedApp struct {
	db, coll, field string
	subnet          int
	opidBase        int32
	value           func(i int) any
}

var indexedApps = map[string]indexedApp{
	"api-main": {db: "app", coll: "sessions", field: "user_id", subnet: 1, opidBase: 1_000_000,
		value: func(i int) any { return int32(100_000 + 37*i) }},
	"webview": {db: "app", coll: "users", field: "email", subnet: 2, opidBase: 40_000_000,
		value: func(i int) any { return fmt.Sprintf("user%d@example.com", 411+i) }},
}

// indexedOps are app's active operations at now: as many as top clients
// counts, from its longest down. They last milliseconds, so their opids
// are new every 100 ms, as a real server's are.
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
		secs := g.longest * (1 - float64(i)/float64(g.active))
		ops = append(ops, bson.D{
			{Key: "opid", Value: a.opidBase + tick*32 + int32(i)},
			{Key: "ns", Value: a.db + "." + a.coll},
			{Key: "op", Value: "query"},
			{Key: "planSummary", Value: "IXSCAN { " + a.field + ": 1 }"},
			{Key: "microsecs_running", Value: int64(secs * 1e6)},
			{Key: "appName", Value: app},
			{Key: "client", Value: fmt.Sprintf("10.0.%d.%d:%d", a.subnet, 11+i%4, 50_100+i)},
			{Key: "command", Value: bson.D{
				{Key: "find", Value: a.coll},
				{Key: "filter", Value: bson.D{{Key: a.field, Value: a.value(i)}}},
				{Key: "limit", Value: int32(1)},
				{Key: "$db", Value: a.db},
			}},
		})
	}
	return ops
}

// indexesOf are a demo collection's indexes (name and key), as listIndexes
// gives them: cctv.events has only _id_, which is why server-c scans it.
func indexesOf(db, coll string) (bson.A, bool) {
	idx := func(name string, key bson.D) bson.D {
		return bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: key}, {Key: "name", Value: name}}
	}
	out := bson.A{idx("_id_", bson.D{{Key: "_id", Value: int32(1)}})}
	if db == "cctv" && coll == "events" {
		return out, true
	}
	for _, a := range indexedApps {
		if a.db == db && a.coll == coll {
			return append(out, idx(a.field+"_1", bson.D{{Key: a.field, Value: int32(1)}})), true
		}
	}
	return nil, false
}

// explainIndexed is explain's queryPlanner for an app's find on its
// indexed field: the index serves it, so the plan fetches what an index
// scan found.
func explainIndexed(a indexedApp) bson.D {
	return bson.D{
		{Key: "explainVersion", Value: "1"},
		{Key: "queryPlanner", Value: bson.D{
			{Key: "namespace", Value: a.db + "." + a.coll},
			{Key: "indexFilterSet", Value: false},
			{Key: "winningPlan", Value: bson.D{{Key: "stage", Value: "FETCH"},
				{Key: "inputStage", Value: bson.D{{Key: "stage", Value: "IXSCAN"}, {Key: "keyPattern", Value: bson.D{{Key: a.field, Value: int32(1)}}},
					{Key: "indexName", Value: a.field + "_1"}, {Key: "direction", Value: "forward"}}}}},
			{Key: "rejectedPlans", Value: bson.A{}},
		}},
		{Key: "serverInfo", Value: bson.D{{Key: "version", Value: "7.0.14"}}},
	}
}
