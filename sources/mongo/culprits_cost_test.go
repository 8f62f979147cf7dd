package mongo

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// replyBytes is what the scripted server sends on the wire for one reply
// of cmd: the real driver asks, mongoserver counts.
func replyBytes(t *testing.T, cmd string, reply bson.D) int64 {
	t.Helper()
	srv, err := mongoserver.New(func(string, bson.Raw) (bson.D, error) { return reply, nil })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := mdriver.Connect(mopts.Client().ApplyURI("mongodb://" + srv.Addr() + "/?directConnection=true"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(ctx)
	if err := c.Database("admin").RunCommand(ctx, bson.D{{Key: cmd, Value: 1}}).Err(); err != nil {
		t.Fatal(err)
	}
	return srv.BytesSent(cmd)
}

func asD(t *testing.T, raw bson.Raw) bson.D {
	t.Helper()
	var d bson.D
	if err := bson.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCulpritWireCost measures what the culprit commands send back, from
// the recorded replies: the whole currentOp a naive tool would fetch
// against the grouped and filtered replies, top, and $collStats with and
// without the server-side $project.
func TestCulpritWireCost(t *testing.T) {
	dir := fixturesDir(t)
	cur := readDoc(t, filepath.Join(dir, "currentOp-4.2.7-replica-primary.json"))
	ops := inprog(t, cur)
	full := replyBytes(t, "currentOp", asD(t, cur))
	grouped := replyBytes(t, "aggregate", cursorReply("admin.$cmd.aggregate", bson.A{groupClientsAsServer(ops, "stormwatch")}))
	slow := replyBytes(t, "aggregate", cursorReply("admin.$cmd.aggregate", slowOpsAsServer(ops, "stormwatch")))
	var clientOps, clientBytes int
	for _, op := range ops {
		if _, err := op.LookupErr("client"); err == nil {
			clientOps++
			clientBytes += len(op)
		}
	}
	perConn := clientBytes / clientOps
	t.Logf("currentOp 4.2.7 primary (%d operations, %d from clients): whole reply %d B; top clients %d B; slow ops %d B (%.0f%% of whole)",
		len(ops), clientOps, full, grouped, slow, 100*float64(grouped+slow)/float64(full))
	t.Logf("a client operation there is %d B on average: a whole currentOp of 500 connections would be about %d kB every poll, the grouped reply stays under 1 kB (10 rows)",
		perConn, 500*perConn/1000)
	if grouped > 1024 || slow > 2048 {
		t.Errorf("grouped %d B, slow %d B", grouped, slow)
	}

	top := readDoc(t, filepath.Join(dir, "top-replica-member-2018.json"))
	topB := replyBytes(t, "top", asD(t, top))
	t.Logf("top (%d namespaces): %d B, about %d B per namespace", len(parseTop(top)), topB, topB/int64(len(parseTop(top))))

	coll := readDoc(t, filepath.Join(dir, "collStats-8.0.4-aggregate-storageStats-local.oplog.rs-replica-primary.json"))
	whole := replyBytes(t, "aggregate", cursorReply("local.oplog.rs", bson.A{coll}))
	ss := func(k string) any { return coll.Lookup("storageStats", k) }
	trimmed := replyBytes(t, "aggregate", cursorReply("local.oplog.rs", bson.A{bson.D{{Key: "ns", Value: "local.oplog.rs"},
		{Key: "storageStats", Value: bson.D{{Key: "count", Value: ss("count")}, {Key: "size", Value: ss("size")}, {Key: "storageSize", Value: ss("storageSize")}, {Key: "totalIndexSize", Value: ss("totalIndexSize")}}}}}))
	t.Logf("$collStats storageStats 8.0.4 local.oplog.rs: %d B whole, %d B with the $project", whole, trimmed)
	if trimmed*10 > whole {
		t.Errorf("$project saves too little: %d of %d B", trimmed, whole)
	}
}

// TestCulpritRequestsPerMinuteWithDefaults counts the commands the culprit
// tables send with the default intervals over ten minutes of 1 s polls,
// while wanted the whole time (the worst case: an incident all along).
func TestCulpritRequestsPerMinuteWithDefaults(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	clk := newTestClock()
	for i := 0; i < 20; i++ {
		c.colls[fmt.Sprintf("app.c%02d", i)] = growing(clk, float64(1000*(i+1)), 100, 500)
	}
	c.top["app.c00"] = topNS{ReadUs: 1e6, ReadN: 10}
	srv := c.start(t)
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) { cfg.CollStatsInterval = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const minutes = 10
	for i := 0; i < minutes*60; i++ {
		if _, err := s.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
	}
	per := func(cmd string) float64 { return float64(srv.Requests(cmd)) / minutes }
	bytes := func(cmd string) float64 { return float64(srv.BytesSent(cmd)) / minutes }
	c.mu.Lock()
	cop := float64(c.clients+c.slow) / minutes
	c.mu.Unlock()
	t.Logf("per minute over %d min of 1 s polls: serverStatus %.0f; $currentOp %.1f; top %.1f; other aggregate ($collStats) %.1f; listDatabases %.1f; listCollections %.1f",
		minutes, per("serverStatus"), cop, per("top"), per("aggregate")-cop, per("listDatabases"), per("listCollections"))
	t.Logf("reply bytes per minute: serverStatus (scripted, small) %.0f; aggregate %.0f; top %.0f; listDatabases %.0f; listCollections %.0f",
		bytes("serverStatus"), bytes("aggregate"), bytes("top"), bytes("listDatabases"), bytes("listCollections"))
	if cop != 24 || per("top") < 6 || per("top") > 6.2 {
		t.Errorf("$currentOp %.1f/min (want 24), top %.1f/min (want 6)", cop, per("top"))
	}
}
