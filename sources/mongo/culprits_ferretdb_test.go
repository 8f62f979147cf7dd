package mongo

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stormwatch/stormwatch/sources"
)

// FerretDB is a real server without $currentOp and top but with
// $collStats storageStats: the first tables must say what is missing and
// the last must work.
func TestCulpritsOnFerretDBDegradeWithANote(t *testing.T) {
	f := startFerretDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := mdriver.Connect(mopts.Client().ApplyURI("mongodb://" + f.addr + "/?directConnection=true"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(ctx)
	for coll, n := range map[string]int{"events": 300, "cameras": 12} {
		var docs []any
		for i := 0; i < n; i++ {
			docs = append(docs, bson.D{{Key: "i", Value: i}, {Key: "pad", Value: strings.Repeat("x", 200)}})
		}
		if _, err := c.Database("cctv").Collection(coll).InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}

	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+f.addr, clk, func(cfg *Config) {
		cfg.Interval, cfg.Timeout = 2*time.Second, time.Second
		cfg.CollStatsInterval, cfg.CollStatsDelay = 0, time.Second
	})
	var res sources.Result
	for i := 0; i < 8; i++ {
		r, err := s.Poll(ctx)
		if err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
		res = r
		clk.Advance(5 * time.Second)
	}
	for _, name := range []string{tableClients, tableSlow, tableHot} {
		tbl := mustTable(t, res, name)
		t.Logf("%s: %q", name, tbl.Note)
		if !strings.HasPrefix(tbl.Note.String(), "not available on this server (ferretdb ") || len(tbl.Rows) != 0 {
			t.Errorf("%s: %+v", name, tbl)
		}
	}
	colls := mustTable(t, res, tableColls)
	t.Logf("%s: %q note %q", tableColls, colls.Rows, colls.Note)
	if len(colls.Rows) != 2 || colls.Rows[0].Field(0) != "cctv.events" || colls.Rows[0].Field(1) != "300" || colls.Rows[1].Field(1) != "12" {
		t.Errorf("largest collections %+v", colls)
	}
}
