package mongo

import (
	"path/filepath"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestReplLagFromRecordedReplSetGetStatus(t *testing.T) {
	dir := fixturesDir(t)
	tests := []struct {
		file string
		want map[string]float64
	}{
		{"replSetGetStatus-8.0.4-replica-primary.json", map[string]float64{"mongo1:30001": 0, "mongo2:30002": 0, "mongo3:30003": 0}},
		{"replSetGetStatus-4.2.7-replica-primary-with-arbiter.json", map[string]float64{"192.168.0.1:27017": 0, "192.168.0.2:27017": 0}},
		{"replSetGetStatus-4.4.29-replica-secondary-unreachable-members.json", nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			rs := parseReplStatus(readDoc(t, filepath.Join(dir, tc.file)))
			if rs.Date.IsZero() || len(rs.Members) != 3 {
				t.Fatalf("parsed %+v", rs)
			}
			got := rs.lag()
			if len(got) != len(tc.want) {
				t.Fatalf("lag = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("lag[%s] = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func TestReplLagIsSecondsBehindThePrimary(t *testing.T) {
	at := func(sec int64) bson.DateTime { return bson.DateTime(sec * 1000) }
	raw, _ := bson.Marshal(bson.D{
		{Key: "date", Value: at(100)},
		{Key: "members", Value: bson.A{
			bson.D{{Key: "name", Value: "a:1"}, {Key: "stateStr", Value: "PRIMARY"}, {Key: "health", Value: 1.0}, {Key: "optimeDate", Value: at(90)}},
			bson.D{{Key: "name", Value: "b:1"}, {Key: "stateStr", Value: "SECONDARY"}, {Key: "health", Value: 1.0}, {Key: "optimeDate", Value: at(75)}},
			bson.D{{Key: "name", Value: "c:1"}, {Key: "stateStr", Value: "(not reachable/healthy)"}, {Key: "health", Value: 0.0}, {Key: "optimeDate", Value: at(0)}},
			bson.D{{Key: "name", Value: "d:1"}, {Key: "stateStr", Value: "ARBITER"}, {Key: "health", Value: 1.0}},
		}},
	})
	got := parseReplStatus(raw).lag()
	if len(got) != 2 || got["a:1"] != 0 || got["b:1"] != 15 {
		t.Errorf("lag = %v, want a:1 0 and b:1 15 only", got)
	}
}

func TestParseHelloOfARecordedSecondary(t *testing.T) {
	h := parseHello(readDoc(t, filepath.Join(fixturesDir(t), "isMaster-4.2.7-replica-secondary.json")))
	if h.SetName != "repl_set" || len(h.Hosts) != 2 || len(h.Arbiters) != 1 || h.Primary != "192.168.0.2:27017" || h.Mongos {
		t.Errorf("hello = %+v", h)
	}
}

func TestParseShardsSplitsSetAndHosts(t *testing.T) {
	raw, _ := bson.Marshal(bson.D{{Key: "shards", Value: bson.A{
		bson.D{{Key: "_id", Value: "sh1"}, {Key: "host", Value: "rs1/a:27018,b:27018"}},
		bson.D{{Key: "_id", Value: "sh2"}, {Key: "host", Value: "c:27018"}},
	}}})
	got := parseShards(raw)
	if len(got) != 2 || got[0].SetName != "rs1" || len(got[0].Hosts) != 2 || got[1].SetName != "" || got[1].Hosts[0] != "c:27018" {
		t.Errorf("shards = %+v", got)
	}
}
