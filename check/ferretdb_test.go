package check

import (
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
)

// startFerretDB runs the tools/ferretdb binary that scripts/test.sh builds:
// a real server speaking the MongoDB wire protocol, whose $currentOp and
// replSetGetStatus are missing, as on servers that are not MongoDB itself.
func startFerretDB(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("STORMWATCH_FERRETDB")
	if bin == "" {
		t.Skip("FerretDB not built; run scripts/test.sh (or set STORMWATCH_FERRETDB)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "-listen", addr, "-dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	// Wait for the port, not for a ping: it accepts ~20 ms after start.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("FerretDB did not listen on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestChecksAgainstFerretDBIntegration(t *testing.T) {
	addr := startFerretDB(t)
	m := Mongo{Source: "db", URI: "mongodb://" + addr + "/", Timeout: 5 * time.Second}
	// A collection for listCollections to find (the test writes; the checks never do).
	client, err := mdriver.Connect(mopts.Client().ApplyURI(m.URI))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := client.Database("cctv").Collection("events").InsertOne(ctx, bson.D{{Key: "camera", Value: 7}}); err != nil {
		t.Fatal(err)
	}
	client.Disconnect(ctx)
	got := run(t, CheckMongo, m)
	for _, r := range got {
		t.Logf("%s %s: %s", r.Status, r.Name, r.Detail)
	}
	// Reachable as a standalone that says which version it claims, no
	// user needed, serverStatus answered, no replica set, no $currentOp,
	// no top, and the collections listed.
	if s := statuses(got); s != "pass pass pass skip skip skip pass" {
		t.Errorf("statuses %q", s)
	}
	atlas := run(t, CheckAtlas, m)
	for _, r := range atlas {
		t.Logf("%s %s: %s", r.Status, r.Name, r.Detail)
	}
	// A standalone cannot be live-migrated; with no user, roles are not
	// checked; without $currentOp the drivers are unknown.
	if s := statuses(atlas); s != "pass fail pass skip skip" {
		t.Errorf("atlas statuses %q", s)
	}
}
