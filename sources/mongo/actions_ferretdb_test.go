package mongo

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FerretDB answers explain and listIndexes but has no $currentOp or
// killOp: the steps it supports work against a real server, and the ones
// it lacks say "not available", never a raw driver error.
func TestActionsAgainstFerretDB(t *testing.T) {
	f := startFerretDB(t)
	uri := "mongodb://" + f.addr + "/?directConnection=true"
	c, err := mdriver.Connect(mopts.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	coll := c.Database("cctv").Collection("events")
	if _, err := coll.InsertMany(ctx, []any{bson.D{{Key: "camera_id", Value: 1}, {Key: "ts", Value: 5}}, bson.D{{Key: "camera_id", Value: 2}, {Key: "ts", Value: 6}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.Indexes().CreateOne(ctx, mdriver.IndexModel{Keys: bson.D{{Key: "camera_id", Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	s := newSource(t, uri, nil)
	mustPoll(t, s)
	acts := s.Actions()
	defer acts.Close(ctx)
	tgt, ok := acts.target()
	if !ok {
		t.Fatal("no target after a poll")
	}
	ix, notes := acts.indexes(ctx, tgt, "cctv", "events")
	if len(ix) != 2 || ix[1].Name != "camera_id_1" {
		t.Errorf("indexes %+v (notes %q)", ix, notes)
	}
	op := Op{Cmd: "find", NS: "cctv.events", Filter: mustRaw(t, bson.D{{Key: "camera_id", Value: 1}})}
	reply, err := acts.command(ctx, tgt, "cctv", explainCommand(op, "events"))
	if err != nil {
		t.Fatalf("explain on FerretDB: %v", err)
	}
	if w, _, _ := readPlans(reply); w == "" {
		t.Errorf("no plan read from %s", reply)
	}
	_, _, err = acts.Operations(ctx, Selection{App: "server-c"})
	if err == nil || !strings.Contains(err.Error(), "$currentOp: not available on this server (ferretdb") {
		t.Errorf("$currentOp on FerretDB: %v", err)
	}
	_, err = acts.command(ctx, tgt, "admin", bson.D{{Key: "killOp", Value: 1}, {Key: "op", Value: 1}})
	if ae := classifyAction("killOp", tgt, err); ae == nil || !strings.Contains(ae.Error(), "killOp: not available on this server") {
		t.Errorf("killOp on FerretDB: %v", ae)
	}
}
