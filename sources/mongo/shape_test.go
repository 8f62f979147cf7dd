package mongo

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func extJSON(t *testing.T, s string) bson.Raw {
	t.Helper()
	var d bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(s), false, &d); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return d
}

func TestShapeOfAnOperation(t *testing.T) {
	tests := []struct{ name, op, want string }{
		{"a find's values become ?, its sort stays",
			`{"op": "query", "ns": "cctv.events", "command": {"find": "events", "filter": {"camera_id": 7, "ts": {"$gte": {"$date": "2026-11-27T10:00:00Z"}}}, "sort": {"ts": -1}}}`,
			"cctv.events find {camera_id: ?, ts: {$gte: ?}} sort {ts: -1}"},
		{"two cameras, one shape",
			`{"op": "query", "ns": "cctv.events", "command": {"find": "events", "filter": {"camera_id": 12, "ts": {"$gte": {"$date": "2026-11-28T00:00:00Z"}}}, "sort": {"ts": -1}}}`,
			"cctv.events find {camera_id: ?, ts: {$gte: ?}} sort {ts: -1}"},
		{"$in values are one ?",
			`{"op": "query", "ns": "app.orders", "command": {"find": "orders", "filter": {"status": {"$in": ["new", "paid", "sent"]}}}}`,
			"app.orders find {status: {$in: [?]}}"},
		{"$or branches keep their fields, duplicates once",
			`{"op": "query", "ns": "app.users", "command": {"find": "users", "filter": {"$or": [{"email": "a@b"}, {"phone": "1"}, {"email": "c@d"}]}}}`,
			"app.users find {$or: [{email: ?}, {phone: ?}]}"},
		{"$elemMatch is a filter inside",
			`{"op": "query", "ns": "app.carts", "command": {"find": "carts", "filter": {"items": {"$elemMatch": {"sku": "X", "qty": {"$gt": 2}}}}}}`,
			"app.carts find {items: {$elemMatch: {sku: ?, qty: {$gt: ?}}}}"},
		{"a literal sub-document is one value",
			`{"op": "query", "ns": "config.transactions", "command": {"find": "transactions", "filter": {"_id": {"id": {"$uuid": "ed42d841-27e3-4432-9f25-aba208e1c36a"}}}}}`,
			"config.transactions find {_id: ?}"},
		{"an update statement is an update on its q",
			`{"op": "update", "ns": "app.sessions", "command": {"q": {"_id": "s1"}, "u": {"$set": {"seen": 1}}}}`,
			"app.sessions update {_id: ?}"},
		{"an aggregate's leading $match",
			`{"op": "command", "ns": "app.orders", "command": {"aggregate": "orders", "pipeline": [{"$match": {"user_id": 5}}, {"$group": {"_id": "$sku"}}]}}`,
			"app.orders aggregate {user_id: ?}"},
		{"a getMore has its cursor's filter",
			`{"op": "getmore", "ns": "cctv.events", "command": {"getMore": {"$numberLong": "1"}, "collection": "events"}, "originatingCommand": {"find": "events", "filter": {"camera_id": 3}}}`,
			"cctv.events getMore {camera_id: ?}"},
		{"the shapes pipeline's projected command name wins",
			`{"op": "command", "ns": "app.orders", "cmd": "count", "command": {"query": {"user_id": 5}}}`,
			"app.orders count {user_id: ?}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shapeOf(extJSON(t, tt.op)).Text(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestShapesOfTheCapturedOperations reads every operation of the shared
// currentOp captures: each gets a shape naming its namespace and command,
// and no value from a command (a cursor id, an index name) leaks into one.
func TestShapesOfTheCapturedOperations(t *testing.T) {
	dir := fixturesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "currentOp-*.json"))
	var got []string
	for _, f := range files {
		for _, op := range docs(readDoc(t, f), "inprog") {
			sh := shapeOf(op)
			if str(op, "op") == "none" {
				continue
			}
			txt := sh.Text()
			got = append(got, txt)
			if strings.Contains(txt, "6058030055514127609") || strings.Contains(txt, "szToken_1") {
				t.Errorf("%s: a value leaked into %q", filepath.Base(f), txt)
			}
		}
	}
	for _, want := range []string{
		"local.oplog.rs getMore",
		"aiuaiu_h5.table_abcdgameaaa reIndex",
		"aiuaiu_h5.$cmd collStats",
		"niuniuh5_modb_02.table_clubgamelog createIndexes",
		"admin.$cmd.aggregate currentOp",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no shape %q among %q", want, got)
		}
	}
}

// TestShapesOfRealSlowQueryLines normalises the filters of the real
// structured slow-query log lines: the same query with other values is one
// shape, and no value survives.
func TestShapesOfRealSlowQueryLines(t *testing.T) {
	dir := fixturesDir(t)
	shapes := map[string]int{}
	for _, name := range []string{"slowlog-6.0.11-standalone.jsonl", "slowlog-6.0.14-replica-rs1.jsonl"} {
		f, err := os.Open(filepath.Join(dir, "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			e, ok := parseLogLine(sc.Text())
			if !ok {
				continue
			}
			txt := e.shape.Text()
			shapes[txt]++
			for _, leak := range []string{"DEALER", "Red", "BMW", "ed42d841", "atlasCliLocalDevCluster", "65f78400"} {
				if strings.Contains(txt, leak) {
					t.Errorf("%s: value %q leaked into %q", name, leak, txt)
				}
			}
		}
		f.Close()
	}
	for _, want := range []string{
		"testdb.vehicles find {color: ?} sort {brand: -1}",
		"testdb.vehicles find {color: ?, brand: ?} sort {brand: -1}",
		"testdb.dealers update {_id: ?}",
		"testdb.employees update {_id: ?}",
		"config.transactions find {_id: ?}",
		"local.oplog.rs find {: ?} sort {$natural: -1}",
		"admin.atlascli aggregate {managedClusterType: ?}",
	} {
		if shapes[want] == 0 {
			t.Errorf("no shape %q", want)
		}
	}
	if shapes["testdb.dealers update {_id: ?}"] < 3 {
		t.Errorf("the dealers' updates of three ids are %d of one shape, want them together", shapes["testdb.dealers update {_id: ?}"])
	}
}
