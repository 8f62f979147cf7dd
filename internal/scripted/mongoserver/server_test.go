package mongoserver

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

func connect(t *testing.T, uri string) *mdriver.Client {
	t.Helper()
	c, err := mdriver.Connect(mopts.Client().ApplyURI(uri).SetServerMonitoringMode("poll").
		SetServerSelectionTimeout(2 * time.Second).SetHeartbeatInterval(500 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Disconnect(context.Background()) })
	return c
}

func TestTheDriverRunsCommandsAgainstTheServer(t *testing.T) {
	s, err := New(func(cmd string, body bson.Raw) (bson.D, error) {
		if cmd == "serverStatus" {
			return bson.D{{Key: "uptime", Value: 5.0}}, nil
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := connect(t, "mongodb://"+s.Addr()+"/?directConnection=true&maxPoolSize=1")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out bson.M
	if err := c.Database("admin").RunCommand(ctx, bson.D{{Key: "serverStatus", Value: 1}}).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out["uptime"] != 5.0 {
		t.Errorf("reply %v", out)
	}
	err = c.Database("admin").RunCommand(ctx, bson.D{{Key: "replSetGetStatus", Value: 1}}).Err()
	var ce mdriver.CommandError
	if !errors.As(err, &ce) || !ce.HasErrorCode(59) {
		t.Errorf("unknown command: %v", err)
	}
	if got := s.Unknown(); len(got) != 1 || got[0] != "replSetGetStatus" {
		t.Errorf("Unknown() = %v", got)
	}
	if s.Requests("serverStatus") != 1 || s.BytesSent("serverStatus") == 0 {
		t.Errorf("counters: %d requests, %d bytes", s.Requests("serverStatus"), s.BytesSent("serverStatus"))
	}
}

func TestTheDriverFollowsAFailover(t *testing.T) {
	rs, err := NewReplicaSet("rs0", 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	c := connect(t, rs.URI())
	primaryConn := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		var out bson.M
		err := c.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}, mopts.RunCmd().SetReadPreference(readpref.Primary())).Decode(&out)
		if err != nil {
			t.Fatal(err)
		}
		return out["me"].(string)
	}
	if got := primaryConn(); got != rs.Member(0).Addr() {
		t.Fatalf("primary %s, want member 0", got)
	}
	rs.SetPrimary(2)
	deadline := time.Now().Add(5 * time.Second)
	for primaryConn() != rs.Member(2).Addr() {
		if time.Now().After(deadline) {
			t.Fatal("driver did not follow the failover")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestStopRefusesConnectionsUntilStart(t *testing.T) {
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := connect(t, "mongodb://"+s.Addr()+"/?directConnection=true")
	ping := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
		defer cancel()
		return c.Ping(ctx, nil)
	}
	if err := ping(); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := ping(); err == nil {
		t.Fatal("ping succeeded against a stopped server")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for ping() != nil {
		if time.Now().After(deadline) {
			t.Fatal("no recovery after Start")
		}
	}
}
