package mongo

import (
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestSlowOpsFromARecordedCurrentOp(t *testing.T) {
	doc := readDoc(t, filepath.Join(fixturesDir(t), "currentOp-4.2.7-replica-primary.json"))
	ops := inprog(t, doc)

	t.Run("the oplog getMore is read as a COLLSCAN that is only a replication tail", func(t *testing.T) {
		var got *slowOp
		for _, d := range ops {
			if str(d, "desc") == "conn14" {
				o := parseSlowOp(d)
				got = &o
			}
		}
		if got == nil {
			t.Fatal("conn14 not in the capture")
		}
		want := slowOp{NS: "local.oplog.rs", Op: "getmore", Plan: "COLLSCAN", App: "10.31.76.227", Collscan: true, Tailing: true}
		secs := got.Secs
		got.Secs = 0
		if *got != want || math.Abs(secs-4.768393) > 1e-9 {
			t.Errorf("got %+v secs %v, want %+v secs 4.768393", *got, secs, want)
		}
	})

	t.Run("the reIndex shows its progress and the shell as its app", func(t *testing.T) {
		var ops2 []slowOp
		for _, d := range slowOpsAsServer(ops, "stormwatch") {
			ops2 = append(ops2, parseSlowOp(mustRaw(t, d)))
		}
		tbl := slowTable(ops2)
		want := [][]string{
			{"aiuaiu_h5.table_abcdgameaaa", "command", "index build 84%", "131.4", "MongoDB Shell"},
			{"aiuaiu_h5.$cmd", "getmore", "-", "131.3", "mongodump"},
			{"aiuaiu_h5.$cmd", "command", "-", "109.2", "MongoDB Shell"},
		}
		if !reflect.DeepEqual(plainRows(tbl), want) || tbl.Highlight != -1 || tbl.Note.String() != "" {
			t.Errorf("rows %q highlight %d note %q, want %q and no highlight: the only COLLSCAN is replication", tbl.Rows, tbl.Highlight, tbl.Note, want)
		}
	})

	t.Run("a tail that reaches the table anyway is dropped, not highlighted", func(t *testing.T) {
		var all []slowOp
		for _, d := range ops {
			all = append(all, parseSlowOp(d))
		}
		tbl := slowTable(all)
		for _, r := range tbl.Rows {
			if r.Field(0) == "local.oplog.rs" {
				t.Errorf("oplog row %q", r)
			}
		}
		if tbl.Highlight != -1 {
			t.Errorf("highlight %d on %q", tbl.Highlight, tbl.Rows[tbl.Highlight])
		}
	})
}

func TestSlowOpsShowIndexBuildProgress(t *testing.T) {
	dir := fixturesDir(t)
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"currentOp-4.2.7-replica-primary-index-build.json", []string{"niuniuh5_modb_02.table_clubgamelog", "command", "index build 70%", "28.66", "MongoDB Shell"}},
		{"currentOp-4.2.7-replica-secondary-index-build.json", []string{"", "command", "index build 45%", "14.94", "IndexBuildsCoordinatorMongod-0"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ops := inprog(t, readDoc(t, filepath.Join(dir, tc.file)))
			var parsed []slowOp
			for _, d := range slowOpsAsServer(ops, "stormwatch") {
				parsed = append(parsed, parseSlowOp(mustRaw(t, d)))
			}
			tbl := slowTable(parsed)
			if len(tbl.Rows) != 1 || !reflect.DeepEqual(plainRows(tbl)[0], tc.want) {
				t.Errorf("rows %q, want [%q]", tbl.Rows, tc.want)
			}
		})
	}
}

func TestTopClientsFromARecordedCurrentOp(t *testing.T) {
	ops := inprog(t, readDoc(t, filepath.Join(fixturesDir(t), "currentOp-4.2.7-replica-primary.json")))
	reply := mustRaw(t, groupClientsAsServer(ops, "stormwatch"))
	groups, tot := parseClients(reply)
	tbl := clientsTable(groups, tot)
	// Five client operations: four from the shell host's apps, one from
	// the secondary's oplog fetcher, which sent no appName.
	want := [][]string{
		{"MongoDB Shell", "3", "3", "131.4", "60"},
		{"10.31.76.227", "1", "1", "4.768", "20"},
		{"mongodump", "1", "1", "131.3", "20"},
	}
	if !reflect.DeepEqual(plainRows(tbl), want) {
		t.Errorf("rows %q, want %q", tbl.Rows, want)
	}
	if tbl.Highlight != 0 {
		t.Errorf("highlight %d: the shell holds 60%% of the active operations", tbl.Highlight)
	}
}

func TestClientsTable(t *testing.T) {
	g := func(name string, conns, active, longest float64) clientGroup {
		return clientGroup{Name: name, Conns: conns, Active: active, LongestSeconds: longest}
	}
	for _, tc := range []struct {
		name      string
		groups    []clientGroup
		tot       clientTotals
		rows      [][]string
		highlight int
		note      string
	}{
		{"one client with most of the active work is highlighted",
			[]clientGroup{g("server-c", 180, 34, 27.4), g("api-main", 260, 12, 0.4), g("webview", 40, 2, 0.1)},
			clientTotals{Conns: 480, Active: 48, Clients: 3},
			[][]string{{"server-c", "180", "34", "27.4", "70.83"}, {"api-main", "260", "12", "0.4", "25"}, {"webview", "40", "2", "0.1", "4.167"}}, 0, ""},
		{"exactly half is not most",
			[]clientGroup{g("a", 2, 5, 1), g("b", 2, 5, 1)}, clientTotals{Conns: 4, Active: 10, Clients: 2},
			[][]string{{"a", "2", "5", "1", "50"}, {"b", "2", "5", "1", "50"}}, -1, ""},
		{"two active operations are not a pile-up",
			[]clientGroup{g("api-main", 20, 2, 0.002), g("webview", 5, 0, 0)}, clientTotals{Conns: 25, Active: 2, Clients: 2},
			[][]string{{"api-main", "20", "2", "0.002", "100"}, {"webview", "5", "0", "-", "0"}}, -1, ""},
		{"nothing active shares nothing",
			[]clientGroup{g("api-main", 90, 0, 0)}, clientTotals{Conns: 90, Clients: 1},
			[][]string{{"api-main", "90", "0", "-", "0"}}, -1, ""},
		{"the share is of all clients, not of those shown",
			[]clientGroup{g("a", 1, 4, 2)}, clientTotals{Conns: 40, Active: 10, Clients: 12},
			[][]string{{"a", "1", "4", "2", "40"}}, -1, "top 1 of 12 clients, 40 connections"},
		{"no connections at all says so", nil, clientTotals{}, nil, -1, "no client connections"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tbl := clientsTable(tc.groups, tc.tot)
			if !reflect.DeepEqual(plainRows(tbl), tc.rows) || tbl.Highlight != tc.highlight || tbl.Note.String() != tc.note {
				t.Errorf("got rows %q highlight %d note %q\nwant rows %q highlight %d note %q", tbl.Rows, tbl.Highlight, tbl.Note, tc.rows, tc.highlight, tc.note)
			}
		})
	}
}

func TestHotCollectionsFromRecordedTop(t *testing.T) {
	first := readDoc(t, filepath.Join(fixturesDir(t), "top-replica-member-2018.json"))
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	prev := topSample{At: t0, Totals: parseTop(first)}
	if len(prev.Totals) != 7 {
		t.Fatalf("%d namespaces, want 7 (the note is not one): %v", len(prev.Totals), prev.Totals)
	}
	if got := prev.Totals["dummy.users"]; got.ReadUs == 0 || got.WriteUs == 0 {
		t.Fatalf("dummy.users = %+v", got)
	}
	// Ten seconds later: dummy.users took 0.5 s of read lock and 0.25 s
	// of write lock, dummy.collection 0.1 s of reads, the oplog and a
	// system collection were busy too, and a new collection appeared.
	grow := map[string][2]float64{"dummy.users": {500_000, 250_000}, "dummy.collection": {100_000, 0}, "local.oplog.rs": {0, 900_000}, "admin.system.roles": {50_000, 0}}
	cur := topSample{At: t0.Add(10 * time.Second), Totals: map[string]topNS{}}
	for ns, v := range prev.Totals {
		d := grow[ns]
		cur.Totals[ns] = topNS{ReadUs: v.ReadUs + d[0], ReadN: v.ReadN + 5, WriteUs: v.WriteUs + d[1], WriteN: v.WriteN + 2}
	}
	cur.Totals["dummy.new"] = topNS{ReadUs: 9e9}

	t.Run("lock time per second, busiest first, system namespaces left out", func(t *testing.T) {
		tbl := hotTable(hotCollections(prev, cur))
		want := [][]string{{"dummy.users", "50", "25"}, {"dummy.collection", "10", "0"}}
		if !reflect.DeepEqual(plainRows(tbl), want) || tbl.Highlight != 0 {
			t.Errorf("rows %q highlight %d, want %q highlighted", tbl.Rows, tbl.Highlight, want)
		}
	})
	t.Run("counters that went down are a restart, not negative time", func(t *testing.T) {
		if rows := hotCollections(cur, prev); len(rows) != 0 {
			t.Errorf("rows %+v", rows)
		}
	})
	t.Run("no time elapsed gives no rates", func(t *testing.T) {
		cur2 := cur
		cur2.At = prev.At
		if rows := hotCollections(prev, cur2); rows != nil {
			t.Errorf("rows %+v", rows)
		}
	})
	t.Run("no change says so", func(t *testing.T) {
		tbl := hotTable(hotCollections(prev, topSample{At: cur.At, Totals: prev.Totals}))
		if len(tbl.Rows) != 0 || tbl.Note.String() == "" {
			t.Errorf("%+v", tbl)
		}
	})
}

func TestCollStatsFromRecordedReplies(t *testing.T) {
	dir := fixturesDir(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	t.Run("the collStats command of 4.2", func(t *testing.T) {
		st, ok := parseCollStats(readDoc(t, filepath.Join(dir, "collStats-4.2.7-replica-primary.json")), at)
		if !ok || st.Count != 15116380 || st.Size != 25157166819 || st.Storage != 9329381376 {
			t.Fatalf("%+v %v", st, ok)
		}
	})
	t.Run("a $collStats document of 8.0, as a cursor reply", func(t *testing.T) {
		doc := readDoc(t, filepath.Join(dir, "collStats-8.0.4-aggregate-storageStats-local.oplog.rs-replica-primary.json"))
		reply := mustRaw(t, bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(0)}, {Key: "firstBatch", Value: bson.A{doc}}}}, {Key: "ok", Value: 1.0}})
		st, ok := parseCollStats(reply, at)
		if !ok || st.Count != 1214 || st.Size != 135886 || st.Storage != 86016 {
			t.Fatalf("%+v %v", st, ok)
		}
	})
	t.Run("a sharded collection sums its shards", func(t *testing.T) {
		shard := func(n int64) bson.D {
			return bson.D{{Key: "ns", Value: "a.b"}, {Key: "storageStats", Value: bson.D{{Key: "count", Value: n}, {Key: "size", Value: n * 100}}}}
		}
		reply := mustRaw(t, bson.D{{Key: "cursor", Value: bson.D{{Key: "firstBatch", Value: bson.A{shard(10), shard(32)}}}}})
		if st, ok := parseCollStats(reply, at); !ok || st.Count != 42 || st.Size != 4200 {
			t.Errorf("%+v", st)
		}
	})
}

func TestGrowthPerHour(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	read := func(d time.Duration, n float64) collStat { return collStat{At: t0.Add(d), Count: n} }
	for _, tc := range []struct {
		name  string
		reads []collStat
		want  string
	}{
		{"one read has no growth", []collStat{read(0, 3_700_000)}, "-"},
		{"5 minutes apart", []collStat{read(0, 3_700_000), read(5*time.Minute, 3_704_333)}, "51996"},
		{"shrinking is negative", []collStat{read(0, 5000), read(time.Hour, 3800)}, "-1200"},
		{"no change is zero", []collStat{read(0, 5000), read(time.Hour, 5000)}, "0"},
		{"a read within a minute replaces the last, keeping the window", []collStat{read(0, 1000), read(5*time.Minute, 2000), read(5*time.Minute+10*time.Second, 2010)}, "11729"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &collEntry{NS: "cctv.events"}
			for _, r := range tc.reads {
				e.record(r)
			}
			got := "-"
			if v, ok := e.growthPerHour(); ok {
				got = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestHostOnly(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{hostOnly("10.0.0.5:51234"), "10.0.0.5"}, {hostOnly("[::1]:50012"), "[::1]"}, {hostOnly("[::1]"), "[::1]"}, {hostOnly("db"), "db"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSystemNamespacesAreSkipped(t *testing.T) {
	for ns, want := range map[string]bool{
		"admin.system.users": true, "local.oplog.rs": true, "config.chunks": true, "app.system.views": true,
		"app.users": false, "cctv.events": false, "app": true,
	} {
		if got := systemNS(ns); got != want {
			t.Errorf("systemNS(%q) = %v, want %v", ns, got, want)
		}
	}
}

func TestPipelinesGroupSortAndLimitOnTheServer(t *testing.T) {
	stages := func(cmd bson.D) []string {
		var out []string
		for _, st := range cmd[1].Value.(bson.A) {
			out = append(out, st.(bson.D)[0].Key)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		cmd  bson.D
		want string
	}{
		{"top clients", clientsCommand("stormwatch", false), "$currentOp $match $group $facet"},
		{"slow ops", slowCommand("stormwatch"), "$currentOp $match $sort $limit $project"},
		{"collection stats", collStatsCommand("events", true), "$collStats $project"},
		{"collection stats on FerretDB", collStatsCommand("events", false), "$collStats"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(stages(tc.cmd), " "); got != tc.want {
				t.Errorf("stages %s, want %s", got, tc.want)
			}
			for _, e := range tc.cmd {
				if e.Key == "maxTimeMS" {
					t.Error("maxTimeMS in the command: the driver adds it from the context, and two fail")
				}
			}
		})
	}
	facet := clientsCommand("stormwatch", false)[1].Value.(bson.A)[3].(bson.D)[0].Value.(bson.D)
	top := facet[0].Value.(bson.A)
	if top[0].(bson.D)[0].Key != "$sort" || top[1].(bson.D)[0].Key != "$limit" || top[1].(bson.D)[0].Value != rowLimit {
		t.Errorf("top clients facet %v, want $sort then $limit %d", top, rowLimit)
	}
}
