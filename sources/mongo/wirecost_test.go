package mongo

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// trimAsServer applies the exclusions in a serverStatus request to a full
// reply as mongod does: "<section>: 0" drops a section and metrics:
// {<branch>: false} drops a branch. FTDC's start/end go too.
func trimAsServer(t *testing.T, full, req bson.Raw) bson.D {
	drop := map[string]bool{"start": true, "end": true}
	metricsDrop := map[string]bool{}
	elems, _ := req.Elements()
	for _, e := range elems[1:] {
		if e.Key() == "metrics" {
			if sub, ok := e.Value().DocumentOK(); ok {
				branches, _ := sub.Elements()
				for _, b := range branches {
					metricsDrop[b.Key()] = true
				}
			}
			continue
		}
		if n, ok := e.Value().AsInt64OK(); ok && n == 0 {
			drop[e.Key()] = true
		}
	}
	var d bson.D
	fe, err := full.Elements()
	if err != nil {
		t.Error(err)
	}
	for _, e := range fe {
		switch {
		case drop[e.Key()]:
		case e.Key() == "metrics":
			var md bson.D
			sub, _ := e.Value().Document().Elements()
			for _, se := range sub {
				if !metricsDrop[se.Key()] {
					md = append(md, bson.E{Key: se.Key(), Value: se.Value()})
				}
			}
			d = append(d, bson.E{Key: "metrics", Value: md})
		default:
			d = append(d, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	return d
}

// TestServerStatusBytesOnTheWire serves a real 8.0.4 primary's
// serverStatus through the scripted wire server, trimmed as the real
// server trims it, and counts the reply bytes the server sends per poll
// over two minutes of 1 s polls, against one untrimmed serverStatus.
func TestServerStatusBytesOnTheWire(t *testing.T) {
	full := readDoc(t, filepath.Join(fixturesDir(t), "serverStatus-8.0.4-replica-primary-linux.json"))
	var mu sync.Mutex
	var fast, slow, fastB, slowB int
	srv, err := mongoserver.New(func(cmd string, body bson.Raw) (bson.D, error) {
		switch cmd {
		case "serverStatus":
			d := trimAsServer(t, full, body)
			raw, _ := bson.Marshal(d)
			mu.Lock()
			if _, err := body.LookupErr("wiredTiger"); err == nil {
				fast, fastB = fast+1, len(raw)
			} else if _, err := body.LookupErr("locks"); err == nil {
				slow, slowB = slow+1, len(raw)
			}
			mu.Unlock()
			return d, nil
		case "hostInfo":
			return bson.D{{Key: "system", Value: bson.D{{Key: "numCores", Value: int32(4)}}}}, nil
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	// One untrimmed serverStatus through the real driver, for comparison.
	c, err := mdriver.Connect(mopts.Client().ApplyURI("mongodb://" + srv.Addr() + "/?directConnection=true"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Database("admin").RunCommand(ctx, bson.D{{Key: "serverStatus", Value: 1}}).Err(); err != nil {
		t.Fatal(err)
	}
	c.Disconnect(ctx)
	untrimmed := srv.BytesSent("serverStatus")

	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s := newSource(t, "mongodb://"+srv.Addr()+"/?directConnection=true", func(c *Config) {
		c.Now = func() time.Time { return now }
	})
	const polls = 120
	for i := 0; i < polls; i++ {
		if _, err := s.Poll(ctx); err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
		now = now.Add(time.Second)
	}
	trimmed := srv.BytesSent("serverStatus") - untrimmed
	perPoll := float64(trimmed) / polls
	mu.Lock()
	t.Logf("8.0.4 primary: untrimmed serverStatus reply %d B on the wire; trimmed reply document %d B, with wiredTiger %d B", untrimmed, fastB, slowB)
	t.Logf("%d polls in %d s (%d requests without wiredTiger, %d with) sent %d B: %.0f B per poll on average (%.1f%% of untrimmed), %.1f KB per minute",
		polls, polls, fast, slow, trimmed, perPoll, 100*perPoll/float64(untrimmed), perPoll*60/1024)
	if slow < polls/10 || slow > polls/10+2 {
		t.Errorf("%d requests with wiredTiger over %d s, want about one per 10 s", slow, polls)
	}
	mu.Unlock()
	if perPoll > 0.15*float64(untrimmed) {
		t.Errorf("%.0f B per poll is more than 15%% of the untrimmed %d B", perPoll, untrimmed)
	}
	for _, cmd := range srv.Unknown() {
		if cmd != "replSetGetStatus" {
			t.Errorf("unexpected command %q", cmd)
		}
	}
}
