package check

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// script is what a scripted server says: its version, who is logged in
// with which roles, which commands it refuses and what $currentOp lists.
type script struct {
	version  string
	user     string   // "" : nobody logged in
	roles    []string // role names, all on admin
	denied   []string // commands answered Unauthorized
	missing  []string // commands answered CommandNotFound
	ops      bson.A   // $currentOp documents
	authFail bool     // the client sends the wrong password

	mu    sync.Mutex
	seen  map[string]int
	scram *scramServer
}

func (s *script) handle(cmd string, body bson.Raw) (bson.D, error) {
	name := cmd
	if cmd == "aggregate" {
		name = "$currentOp"
	}
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	s.seen[name]++
	if s.scram == nil {
		s.scram = newSCRAM(s.user, "s3cret")
	}
	auth := s.scram
	s.mu.Unlock()
	switch {
	case cmd == "saslStart" || cmd == "saslContinue":
		return auth.handle(cmd, body)
	case contains(s.missing, name):
		return nil, nil
	case contains(s.denied, name):
		return nil, mongoserver.ErrUnauthorized
	}
	switch cmd {
	case "buildInfo":
		return bson.D{{Key: "version", Value: s.version}}, nil
	case "connectionStatus":
		users, roles := bson.A{}, bson.A{}
		if s.user != "" {
			users = append(users, bson.D{{Key: "user", Value: s.user}, {Key: "db", Value: "admin"}})
			for _, r := range s.roles {
				roles = append(roles, bson.D{{Key: "role", Value: r}, {Key: "db", Value: "admin"}})
			}
		}
		info := bson.D{{Key: "authenticatedUsers", Value: users}, {Key: "authenticatedUserRoles", Value: roles}}
		if show, _ := body.Lookup("showPrivileges").BooleanOK(); show {
			info = append(info, bson.E{Key: "authenticatedUserPrivileges", Value: rolePrivileges(s.roles)})
		}
		return bson.D{{Key: "authInfo", Value: info}}, nil
	case "serverStatus":
		return bson.D{{Key: "process", Value: "mongod"}, {Key: "version", Value: s.version}}, nil
	case "replSetGetStatus":
		return bson.D{{Key: "set", Value: "rs0"}, {Key: "members", Value: bson.A{}}}, nil
	case "top":
		return bson.D{{Key: "totals", Value: bson.D{{Key: "note", Value: "all times in microseconds"}}}}, nil
	case "listDatabases":
		return bson.D{{Key: "databases", Value: bson.A{bson.D{{Key: "name", Value: "admin"}}, bson.D{{Key: "name", Value: "cctv"}}}}}, nil
	case "listCollections":
		return bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(0)}, {Key: "ns", Value: "cctv.$cmd.listCollections"},
			{Key: "firstBatch", Value: bson.A{bson.D{{Key: "name", Value: "events"}, {Key: "type", Value: "collection"}}}}}}}, nil
	case "listShards":
		return bson.D{{Key: "shards", Value: bson.A{bson.D{{Key: "_id", Value: "shard0"}, {Key: "host", Value: "shard0/a:27018"}}}}}, nil
	case "aggregate":
		if s.ops == nil {
			s.ops = bson.A{}
		}
		return bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(0)}, {Key: "ns", Value: "admin.$cmd.aggregate"}, {Key: "firstBatch", Value: s.ops}}}}, nil
	}
	return nil, nil
}

func (s *script) asked(cmd string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[cmd]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// target is the URI and the check target for a server of the given kind.
func target(t *testing.T, kind string, s *script) (Mongo, map[string]string) {
	t.Helper()
	var uri string
	addrs := map[string]string{}
	switch kind {
	case standalone, sharded:
		start := mongoserver.New
		if kind == sharded {
			start = mongoserver.NewMongos
		}
		srv, err := start(s.handle)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		uri = "mongodb://" + srv.Addr() + "/?directConnection=true"
		addrs[srv.Addr()] = "SERVER"
		t.Cleanup(func() { checkUnknown(t, srv.Unknown(), s) })
	case replicaSet:
		rs, err := mongoserver.NewReplicaSet("rs0", 3, func(i int, cmd string, body bson.Raw) (bson.D, error) { return s.handle(cmd, body) })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(rs.Close)
		uri = rs.URI()
		for i := 0; i < rs.Len(); i++ {
			member := rs.Member(i)
			addrs[member.Addr()] = "MEMBER" + string(rune('0'+i))
			t.Cleanup(func() { checkUnknown(t, member.Unknown(), s) })
		}
	}
	if s.user != "" {
		u, _ := url.Parse(uri)
		password := "s3cret"
		if s.authFail {
			password = "wrong"
		}
		u.User = url.UserPassword(s.user, password)
		q := u.Query()
		q.Set("authSource", "admin")
		q.Set("authMechanism", "SCRAM-SHA-256")
		u.RawQuery = q.Encode()
		uri = u.String()
	}
	return Mongo{Source: "db", URI: uri, URIEnv: "MONGODB_URI", Timeout: 3 * time.Second}, addrs
}

// checkUnknown fails the test on a command the script did not expect to
// be unknown: a check must not send anything beyond what it means to.
func checkUnknown(t *testing.T, unknown []string, s *script) {
	for _, cmd := range unknown {
		if !contains(s.missing, cmd) && !(cmd == "aggregate" && contains(s.missing, "$currentOp")) {
			t.Errorf("unexpected command %q", cmd)
		}
	}
}

func run(t *testing.T, f func(context.Context, Mongo) []Result, m Mongo) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return f(ctx, m)
}

var monitorRoles = []string{"clusterMonitor"}

// rolePrivileges is the part of each role's privileges the action checks
// read, as connectionStatus {showPrivileges: true} lists them.
func rolePrivileges(roles []string) bson.A {
	priv := func(res bson.D, actions ...string) bson.D {
		acts := bson.A{}
		for _, a := range actions {
			acts = append(acts, a)
		}
		return bson.D{{Key: "resource", Value: res}, {Key: "actions", Value: acts}}
	}
	cluster := bson.D{{Key: "cluster", Value: true}}
	anyDB := bson.D{{Key: "db", Value: ""}, {Key: "collection", Value: ""}}
	out := bson.A{}
	for _, r := range roles {
		switch r {
		case "clusterMonitor":
			out = append(out, priv(cluster, "inprog", "serverStatus", "top", "listDatabases"), priv(anyDB, "collStats", "dbStats", "indexStats"))
		case "stormwatchOperator":
			out = append(out, priv(cluster, "killop", "querySettings"), priv(anyDB, "listIndexes"),
				priv(bson.D{{Key: "db", Value: "cctv"}, {Key: "collection", Value: ""}}, "find"))
		}
	}
	return out
}

func TestMongoChecks(t *testing.T) {
	cases := []struct {
		name string
		kind string
		s    *script
		want string
	}{
		{"a standalone with a clusterMonitor user", standalone, &script{version: "7.0.12", user: "stormwatch", roles: monitorRoles}, "pass pass pass skip pass pass pass"},
		{"a replica set with a clusterMonitor user", replicaSet, &script{version: "6.0.19", user: "stormwatch", roles: monitorRoles}, "pass pass pass pass pass pass pass"},
		{"a clusterMonitor user without listCollections", replicaSet, &script{version: "7.0.12", user: "stormwatch", roles: monitorRoles,
			denied: []string{"listCollections"}}, "pass pass pass pass pass pass fail"},
		{"a sharded cluster through mongos", sharded, &script{version: "7.0.12", user: "stormwatch", roles: monitorRoles}, "pass pass pass pass pass skip pass"},
		{"a user without clusterMonitor", replicaSet, &script{version: "7.0.12", user: "app", roles: []string{"readWrite"},
			denied: []string{"serverStatus", "replSetGetStatus", "$currentOp", "top", "listDatabases", "listCollections"}}, "pass pass fail fail fail fail fail"},
		{"$currentOp alone refused", standalone, &script{version: "7.0.12", user: "stormwatch", roles: []string{"custom"},
			denied: []string{"$currentOp"}}, "pass pass pass skip fail pass pass"},
		{"no user where the server requires one", standalone, &script{version: "7.0.12",
			denied: []string{"serverStatus", "$currentOp"}}, "pass fail skip skip skip skip skip"},
		{"no user and no access control", standalone, &script{version: "7.0.12"}, "pass pass pass skip pass pass pass"},
		{"a 3.6 server", standalone, &script{version: "3.6.23", user: "stormwatch", roles: monitorRoles}, "pass pass pass skip pass pass pass"},
		{"a 2.4 server", standalone, &script{version: "2.4.14", user: "stormwatch", roles: monitorRoles}, "pass pass pass skip skip pass pass"},
		{"a server without $currentOp or replSetGetStatus", replicaSet, &script{version: "7.0.42",
			missing: []string{"$currentOp", "replSetGetStatus", "top"}}, "pass pass pass skip skip skip pass"},
		{"a wrong password", standalone, &script{version: "7.0.12", user: "stormwatch", authFail: true}, "pass fail skip skip skip skip skip"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			m, addrs := target(t, c.kind, c.s)
			got := run(t, CheckMongo, m)
			if s := statuses(got); s != c.want {
				t.Errorf("statuses %q, want %q\n%+v", s, c.want, got)
			}
			for _, r := range got {
				if strings.Contains(r.Detail+r.Fix, "s3cret") || strings.Contains(r.Detail+r.Fix, "wrong") {
					t.Errorf("the password leaked: %+v", r)
				}
			}
			goldenJSON(t, got, addrs)
		})
	}
}

func TestTheMongoChecksNeverWrite(t *testing.T) {
	s := &script{version: "7.0.12", user: "stormwatch", roles: monitorRoles}
	m, _ := target(t, replicaSet, s)
	run(t, CheckMongo, m)
	run(t, CheckAtlas, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	read := map[string]bool{"buildInfo": true, "connectionStatus": true, "serverStatus": true, "replSetGetStatus": true,
		"$currentOp": true, "saslStart": true, "saslContinue": true, "listShards": true,
		"top": true, "listDatabases": true, "listCollections": true}
	for cmd := range s.seen {
		if !read[cmd] {
			t.Errorf("the checks sent %q", cmd)
		}
	}
}

func TestAnUnreachableServerFailsWithTheNetworkReason(t *testing.T) {
	srv, err := mongoserver.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr()
	srv.Close()
	got := run(t, CheckMongo, Mongo{Source: "db", URI: "mongodb://" + addr + "/?directConnection=true", Timeout: 500 * time.Millisecond})
	if s := statuses(got); s != "fail skip skip skip skip skip skip" {
		t.Fatalf("statuses %q\n%+v", s, got)
	}
	if !strings.Contains(got[0].Detail, "connection refused") || !strings.Contains(got[0].Fix, "firewall") {
		t.Errorf("reachable line %+v", got[0])
	}
	goldenJSON(t, got, map[string]string{addr: "SERVER"})
}

func TestAnEmptyEnvironmentVariableSaysWhatToExport(t *testing.T) {
	got := run(t, CheckMongo, Mongo{Source: "db", URIEnv: "MONGODB_URI"})
	goldenJSON(t, got, nil)
	got = run(t, CheckMongo, Mongo{Source: "db", URI: "mongodb://a:b:c@/x", URIEnv: "MONGODB_URI"})
	if got[0].Status != Fail || strings.Contains(got[0].Detail, "a:b:c") {
		t.Errorf("invalid URI: %+v", got[0])
	}
}

func TestReleaseOfWire(t *testing.T) {
	for wire, want := range map[int32]string{0: "2.4 or older", 2: "2.6", 6: "3.6", 7: "4.0", 8: "4.2", 12: "4.4", 21: "7.0", 25: "8.0", 30: "8.0"} {
		if got := releaseOfWire(wire); got != want {
			t.Errorf("releaseOfWire(%d) = %q, want %q", wire, got, want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for s, want := range map[string]version{"10.0.1": {10, 0}, "7.0.12": {7, 0}, "2.6.12": {2, 6}, "4.0.0-rc1": {4, 0}, "8.1": {8, 1}} {
		got, ok := parseVersion(s)
		if !ok || got != want {
			t.Errorf("parseVersion(%q) = %v %v, want %v", s, got, ok, want)
		}
	}
	if _, ok := parseVersion("unknown"); ok {
		t.Error("parsed a version from nothing")
	}
	if !(version{10, 0}).atLeast(version{9, 9}) || (version{3, 4}).atLeast(version{3, 6}) {
		t.Error("atLeast compares as text")
	}
}
