package check

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// op is one $currentOp document with the handshake metadata a driver sent.
func op(driver, version, app string) bson.D {
	md := bson.D{{Key: "driver", Value: bson.D{{Key: "name", Value: driver}, {Key: "version", Value: version}}}}
	if app != "" {
		md = append(md, bson.E{Key: "application", Value: bson.D{{Key: "name", Value: app}}})
	}
	return bson.D{{Key: "type", Value: "idleConnection"}, {Key: "clientMetadata", Value: md}}
}

var appOps = bson.A{
	op("mongo-go-driver", "1.11.4", "api-main"), op("mongo-go-driver", "1.11.4", "api-main"),
	op("nodejs", "4.17.1", "webview"), op("mongo-go-driver", "1.11.4", "server-c"),
	op("mongo-go-driver", "v2.10.0", appName), // the check itself
	op("PyMongo", "3.12.0", ""),
}

func TestAtlasMigrationChecks(t *testing.T) {
	migrator := []string{"clusterMonitor", "backup"}
	cases := []struct {
		name string
		kind string
		s    *script
		want string
	}{
		{"a ready replica set", replicaSet, &script{version: "6.0.19", user: "migrator", roles: migrator, ops: appOps}, "pass pass pass pass pass"},
		{"a standalone", standalone, &script{version: "7.0.12", user: "migrator", roles: migrator, ops: appOps}, "pass fail pass pass pass"},
		{"a sharded cluster on 3.6", sharded, &script{version: "3.6.23", user: "migrator", roles: migrator, ops: appOps}, "pass pass fail pass pass"},
		{"a sharded cluster on 4.0", sharded, &script{version: "4.0.28", user: "migrator", roles: migrator, ops: appOps}, "pass pass pass pass pass"},
		{"a replica set on 2.4", replicaSet, &script{version: "2.4.14", user: "migrator", roles: migrator}, "pass pass fail pass skip"},
		{"a user without backup", replicaSet, &script{version: "7.0.12", user: "stormwatch", roles: []string{"clusterMonitor"}, ops: appOps}, "pass pass pass fail pass"},
		{"a user without either role", replicaSet, &script{version: "7.0.12", user: "app", roles: []string{"readWrite"},
			denied: []string{"$currentOp"}}, "pass pass pass fail fail"},
		{"a root user", replicaSet, &script{version: "8.0.4", user: "admin", roles: []string{"root"}, ops: appOps}, "pass pass pass pass pass"},
		{"no user", replicaSet, &script{version: "7.0.12"}, "pass pass pass skip pass"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			m, addrs := target(t, c.kind, c.s)
			got := run(t, CheckAtlas, m)
			if s := statuses(got); s != c.want {
				t.Errorf("statuses %q, want %q\n%+v", s, c.want, got)
			}
			goldenJSON(t, got, addrs)
		})
	}
}

func TestTheStandaloneFixGivesTheReplicaSetSteps(t *testing.T) {
	m, _ := target(t, standalone, &script{version: "7.0.12"})
	got := run(t, CheckAtlas, m)[1]
	for _, want := range []string{"replSetName", "rs.initiate()", "restart mongod"} {
		if !strings.Contains(got.Fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, got.Fix)
		}
	}
	var b strings.Builder
	WriteText(&b, "stormwatch check atlas-migration: test.yaml", []Result{got}, 0)
	golden(t, b.String())
}

func TestDriversAreGroupedByNameAndVersion(t *testing.T) {
	var docs []bson.Raw
	for _, o := range appOps {
		raw, err := bson.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, raw)
	}
	var got []string
	for _, g := range groupDrivers(docs) {
		got = append(got, g.String())
	}
	want := []string{
		"mongo-go-driver 1.11.4: 3 connection(s) from api-main, server-c",
		"PyMongo 3.12.0: 1 connection(s)",
		"nodejs 4.17.1: 1 connection(s) from webview",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
