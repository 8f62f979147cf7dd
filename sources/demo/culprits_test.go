package demo_test

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/sources/mongo"
)

// TestCulpritTablesOfTheStory runs the real MongoDB source against the
// demo's scripted replica set, whose primary answers the culprit commands
// through CulpritReply: what the tables show is what the source makes of
// replies shaped like a real mongod's.
func TestCulpritTablesOfTheStory(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	b, err := demo.StartBackend(clock, func(time.Duration) <-chan time.Time { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	src, err := mongo.New(mongo.Config{Name: "db", URI: b.MongoURI, Interval: time.Second, Timeout: 800 * time.Millisecond, AppName: "stormwatch-demo", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close(context.Background())
	var lastRes sources.Result
	poll := func() sources.Result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		res, err := src.Poll(ctx)
		if err != nil {
			t.Fatalf("poll at %s: %v", now.Sub(b.Start), err)
		}
		lastRes = res
		return res
	}
	tables := func(res sources.Result) map[string]sources.Table {
		m := map[string]sources.Table{}
		for _, tbl := range res.Tables {
			m[tbl.Name] = tbl
		}
		return m
	}

	calm := tables(poll())
	addsUp(t, "calm", lastRes, calm["top clients"])
	if top := calm["top clients"]; len(top.Rows) != 3 || top.Rows[0].Field(0) != "api-main" || top.Highlight != -1 {
		t.Errorf("calm top clients %+v", top)
	}
	if slow := calm["slow ops"]; len(slow.Rows) != 0 {
		t.Errorf("calm slow ops %+v", slow)
	}

	// One minute in: the push is on and server-c scans.
	var got map[string]sources.Table
	for now.Sub(b.Start) < 60*time.Second {
		advance(5 * time.Second)
		got = tables(poll())
	}
	top := got["top clients"]
	if len(top.Rows) != 3 || top.Highlight != 0 || top.Rows[0].Field(0) != "server-c" || top.Rows[0].Field(4) != "70.83333333333333" ||
		top.Rows[1].Field(0) != "api-main" || top.Rows[1].Field(2) != "12" {
		t.Errorf("top clients %+v", top)
	}
	addsUp(t, "at 1:00", lastRes, top)
	slow := got["slow ops"]
	if len(slow.Rows) == 0 || slow.Highlight != 0 || !strings.HasPrefix(slow.Rows[0].Plain(), "cctv.events|query|COLLSCAN|") ||
		slow.Rows[0].Field(4) != "server-c" {
		t.Errorf("slow ops %+v", slow)
	}
	hot := got["hot collections"]
	if len(hot.Rows) == 0 || hot.Rows[0].Field(0) != "cctv.events" || hot.Highlight != 0 {
		t.Errorf("hot collections %+v", hot)
	}
	colls := got["largest collections"]
	if len(colls.Rows) != 5 || colls.Rows[0].Field(0) != "cctv.events" || math.Abs(colls.Rows[0].Cells[1].Num-3.7e6) > 1e4 {
		t.Errorf("largest collections %+v", colls)
	}

	// After the pause (1:50) traffic is still high: the API holds the
	// connections server-c gave back, as serverStatus counts them.
	for now.Sub(b.Start) < 120*time.Second {
		advance(5 * time.Second)
		got = tables(poll())
	}
	addsUp(t, "at 2:00", lastRes, got["top clients"])

	// Growth needs a second read, five minutes on.
	for now.Sub(b.Start) < 7*time.Minute {
		advance(5 * time.Second)
		got = tables(poll())
	}
	if colls := got["largest collections"]; len(colls.Rows) == 0 || math.Abs(colls.Rows[0].Cells[3].Num-52e3) > 1e3 {
		t.Errorf("largest collections after two reads %+v", colls)
	}
	if rs := b.ReplicaSet(); rs.Member(1).Requests("aggregate")+rs.Member(1).Requests("top") != 0 {
		t.Error("the secondary was asked for culprits")
	}
	if u := b.ReplicaSet().Member(0).Unknown(); len(u) != 0 {
		t.Errorf("commands the demo does not script: %v", u)
	}
}

func TestCulpritReplyLeavesOtherCommandsAlone(t *testing.T) {
	for _, cmd := range []string{"serverStatus", "find", "insert", "replSetGetStatus"} {
		if _, ok := demo.CulpritReply(cmd, mustDoc(t, bson.D{{Key: cmd, Value: 1}}), demo.At(0), time.Now()); ok {
			t.Errorf("%s answered", cmd)
		}
	}
	body := mustDoc(t, bson.D{{Key: "aggregate", Value: "events"}, {Key: "pipeline", Value: bson.A{bson.D{{Key: "$match", Value: bson.D{}}}}}, {Key: "$db", Value: "cctv"}})
	if _, ok := demo.CulpritReply("aggregate", body, demo.At(0), time.Now()); ok {
		t.Error("an aggregate that is not a culprit pipeline was answered")
	}
}

func mustDoc(t *testing.T, d bson.D) bson.Raw {
	t.Helper()
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// addsUp checks that the top clients' connections add up to the
// connections serverStatus reported in the same poll: the table sits
// beside "conns N/M" on the screen, and it said 120 beside 395.
func addsUp(t *testing.T, when string, res sources.Result, top sources.Table) {
	t.Helper()
	var conns float64 // the primary's: a secondary holds a few
	for _, s := range res.Samples {
		if strings.HasPrefix(s.Key, "db.connections@") {
			conns = max(conns, s.Point.V)
		}
	}
	var sum float64
	for _, r := range top.Rows {
		sum += r.Cells[1].Num
	}
	if conns == 0 || math.Abs(sum-conns) > 1 {
		t.Errorf("%s: top clients hold %.0f connections, serverStatus %.0f", when, sum, conns)
	}
}
