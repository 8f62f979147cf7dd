package mongo

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/sources"
)

// startSet runs n scripted members whose serverStatus.repl is the set's own
// view, so roles follow SetPrimary as they would on real servers.
func startSet(t *testing.T, n int) (*mongoserver.ReplicaSet, []*fakeMongod) {
	t.Helper()
	fakes := make([]*fakeMongod, n)
	for i := range fakes {
		fakes[i] = newFake()
	}
	rs, err := mongoserver.NewReplicaSet("rs0", n, func(i int, cmd string, body bson.Raw) (bson.D, error) {
		return fakes[i].handle(cmd, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rs.Close()
		for i, f := range fakes {
			checkScript(t, f, rs.Member(i))
		}
	})
	for i, f := range fakes {
		f.repl = func() bson.D { return rs.Hello(i) }
	}
	return rs, fakes
}

// replStatusFrom answers replSetGetStatus with the set's roles and member i
// lagging lagOf(i) behind the primary.
func replStatusFrom(rs *mongoserver.ReplicaSet, primary int, lagOf func(i int) time.Duration) mongoserver.Handler {
	return func(string, bson.Raw) (bson.D, error) {
		now := time.Now().Truncate(time.Second)
		var members bson.A
		for i := 0; i < rs.Len(); i++ {
			state := "SECONDARY"
			if i == primary {
				state = "PRIMARY"
			}
			members = append(members, bson.D{{Key: "name", Value: rs.Member(i).Addr()}, {Key: "stateStr", Value: state},
				{Key: "health", Value: 1.0}, {Key: "optimeDate", Value: bson.NewDateTimeFromTime(now.Add(-lagOf(i)))}})
		}
		return bson.D{{Key: "set", Value: "rs0"}, {Key: "date", Value: bson.NewDateTimeFromTime(now)}, {Key: "members", Value: members}}, nil
	}
}

func roles(res sources.Result) map[string]string {
	out := map[string]string{}
	for _, m := range res.Members {
		out[m.ID] = m.Role
	}
	return out
}

func TestPollFollowsAFailover(t *testing.T) {
	rs, _ := startSet(t, 3)
	s := newSource(t, rs.URI(), nil)
	res := mustPoll(t, s)
	want := map[string]string{rs.Member(0).Addr(): rolePrimary, rs.Member(1).Addr(): roleSecondary, rs.Member(2).Addr(): roleSecondary}
	if got := roles(res); len(got) != 3 || got[rs.Member(0).Addr()] != rolePrimary || got[rs.Member(1).Addr()] != roleSecondary {
		t.Fatalf("roles = %v, want %v", got, want)
	}
	rs.SetPrimary(1)
	res = mustPoll(t, s)
	if got := roles(res); got[rs.Member(0).Addr()] != roleSecondary || got[rs.Member(1).Addr()] != rolePrimary {
		t.Errorf("after failover roles = %v", got)
	}
	for _, m := range res.Members {
		if !m.OK {
			t.Errorf("member %+v not OK after failover", m)
		}
	}
	// Secondaries report replicated op rates, the primary does not.
	got := values(mustPoll(t, s))
	if !hasPrefixKey(got, "db.repl.ops.insert@"+rs.Member(0).Addr()) || hasPrefixKey(got, "db.repl.ops.insert@"+rs.Member(1).Addr()) {
		t.Errorf("repl op rates in the wrong places: %v", got)
	}
}

func TestPollFollowsMembersLeavingAndJoiningTheSet(t *testing.T) {
	rs, _ := startSet(t, 3)
	s := newSource(t, rs.URI(), func(c *Config) { c.Timeout = 300 * time.Millisecond })
	third := rs.Member(2).Addr()
	if res := mustPoll(t, s); len(res.Members) != 3 {
		t.Fatalf("members = %v", res.Members)
	}
	rs.Remove(2)
	// The others now report a two-host set in their serverStatus: the
	// member is dropped in that same poll, with no extra round trip.
	res := mustPoll(t, s)
	if _, ok := memberOf(res, third); ok || len(res.Members) != 2 {
		t.Errorf("members after removal = %+v", res.Members)
	}
	if err := rs.Restore(2); err != nil {
		t.Fatal(err)
	}
	mustPoll(t, s) // the set's view grows: the member is added...
	res = mustPoll(t, s)
	if m, ok := memberOf(res, third); !ok || !m.OK || m.Role != roleSecondary {
		t.Errorf("rejoined member = %+v (%v); members %+v", m, ok, res.Members)
	}
	if _, ok := values(res)[key("db.connections", third)]; !ok {
		t.Error("rejoined member not polled")
	}
}

func TestPollAfterThePrimaryDiesCostsOneTimeoutAtMost(t *testing.T) {
	rs, _ := startSet(t, 3)
	const timeout = 300 * time.Millisecond
	s := newSource(t, rs.URI(), func(c *Config) { c.Timeout = timeout })
	mustPoll(t, s)
	rs.Member(0).Stop()
	rs.SetPrimary(1)
	for i := 0; i < 3; i++ {
		start := time.Now()
		res, err := poll(t, s)
		// A hang detector, not a timing: without the member timeout the
		// driver would wait its 30 s server selection; a loaded machine
		// may add seconds to the 300 ms, never 30.
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("poll %d took %v with a %v member timeout", i, took, timeout)
		}
		if err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
		if got := roles(res)[rs.Member(1).Addr()]; got != rolePrimary {
			t.Errorf("poll %d: new primary shown as %q", i, got)
		}
		if m, _ := memberOf(res, rs.Member(0).Addr()); m.OK {
			t.Errorf("poll %d: dead member shown OK", i)
		}
	}
}

// TestPollIsNotDelayedByASlowMember: a member slower than the round (its
// reply takes 3 s, its own deadline is 2 s) does not hold the round: the
// others' samples come back at once, the slow one is named, and it is not
// asked again while its first command is still out. No timing assertion:
// were the round waiting for it, the first poll would report its timeout.
func TestPollIsNotDelayedByASlowMember(t *testing.T) {
	rs, _ := startSet(t, 3)
	s := newSource(t, rs.URI(), func(c *Config) { c.Timeout = 2 * time.Second })
	mustPoll(t, s)
	slow := rs.Member(1)
	slow.SetDelay(3 * time.Second)
	asked := slow.Requests("serverStatus")
	for round := 0; round < 2; round++ {
		res, err := poll(t, s)
		if err != nil {
			t.Fatalf("round %d: a partial poll is not an error: %v", round, err)
		}
		got := values(res)
		for _, i := range []int{0, 2} {
			if _, ok := got[key("db.ops.insert", rs.Member(i).Addr())]; !ok {
				t.Errorf("round %d: no sample from healthy member %d: %v", round, i, got)
			}
		}
		m, _ := memberOf(res, slow.Addr())
		if m.OK || !strings.Contains(m.Error, "slow: no reply within 500ms") {
			t.Errorf("round %d: slow member = %+v", round, m)
		}
		if hasPrefixKey(got, "db.ops.insert@"+slow.Addr()) {
			t.Errorf("round %d: sample from the member that has not answered", round)
		}
	}
	if n := slow.Requests("serverStatus") - asked; n != 1 {
		t.Errorf("slow member asked %d times in two rounds, want once (never twice at once)", n)
	}
}

func TestPollBacksOffAFailingMember(t *testing.T) {
	rs, fakes := startSet(t, 3)
	clock := time.Now()
	s := newSource(t, rs.URI(), func(c *Config) {
		c.Interval = 10 * time.Second
		c.Now = func() time.Time { return clock }
	})
	fakes[2].ssErr = errors.New("boom")
	var sent []int
	for i := 0; i < 12; i++ {
		res := mustPoll(t, s)
		sent = append(sent, rs.Member(2).Requests("serverStatus"))
		if m, _ := memberOf(res, rs.Member(2).Addr()); m.OK || m.Error == "" {
			t.Fatalf("failing member shown as %+v", m)
		}
		clock = clock.Add(10 * time.Second)
	}
	t.Logf("serverStatus requests to the failing member after each poll: %v", sent)
	// Skipped more and more, not asked every time.
	if n := sent[len(sent)-1]; n > 6 || n < 3 {
		t.Errorf("failing member asked %d times in 12 polls (%v); want backoff", n, sent)
	}
	if n := rs.Member(0).Requests("serverStatus"); n != 12 {
		t.Errorf("healthy member asked %d times in 12 polls", n)
	}
}

func TestPollReportsReplicationLag(t *testing.T) {
	rs, fakes := startSet(t, 3)
	lag := func(i int) time.Duration { return time.Duration(i) * 5 * time.Second }
	fakes[0].extra = map[string]mongoserver.Handler{"replSetGetStatus": replStatusFrom(rs, 0, lag)}
	s := newSource(t, rs.URI(), nil)
	got := values(mustPoll(t, s))
	for i := 0; i < 3; i++ {
		if v, ok := got[key("db.repl.lag", rs.Member(i).Addr())]; !ok || v != float64(5*i) {
			t.Errorf("lag of member %d = %v (%v), want %d", i, v, ok, 5*i)
		}
	}
	// Only the primary is asked, and only once per ReplInterval.
	mustPoll(t, s)
	if a, b, c := rs.Member(0).Requests("replSetGetStatus"), rs.Member(1).Requests("replSetGetStatus"), rs.Member(2).Requests("replSetGetStatus"); a != 1 || b+c != 0 {
		t.Errorf("replSetGetStatus sent %d/%d/%d times", a, b, c)
	}
}

func TestPollWithoutReplSetGetStatusSaysNotAvailable(t *testing.T) {
	rs, _ := startSet(t, 2) // the scripted members answer CommandNotFound
	s := newSource(t, rs.URI(), nil)
	res := mustPoll(t, s)
	for _, m := range res.Members {
		if !m.OK {
			t.Errorf("member %+v failed over a missing optional command", m)
		}
	}
	found := false
	for _, f := range res.Facts {
		if f.Key == "repl lag" && strings.Contains(f.Value.String(), "not available") && strings.Contains(f.Value.String(), "command not found: replSetGetStatus") {
			found = true
		}
	}
	if !found {
		t.Errorf("facts = %v, want repl lag not available", res.Facts)
	}
}

func TestPollNeverSendsServerStatusToAnArbiter(t *testing.T) {
	rs, _ := startSet(t, 3)
	rs.SetArbiter(2)
	s := newSource(t, rs.URI(), nil)
	res := mustPoll(t, s)
	mustPoll(t, s)
	m, ok := memberOf(res, rs.Member(2).Addr())
	if !ok || m.Role != roleArbiter || !m.OK {
		t.Errorf("arbiter = %+v (%v)", m, ok)
	}
	if n := rs.Member(2).Requests("serverStatus"); n != 0 {
		t.Errorf("arbiter got %d serverStatus", n)
	}
}

func TestPollThroughMongosFindsTheShards(t *testing.T) {
	rs, _ := startSet(t, 2)
	f := newFake()
	f.process = "mongos"
	f.extra = map[string]mongoserver.Handler{"listShards": func(string, bson.Raw) (bson.D, error) {
		return bson.D{{Key: "shards", Value: bson.A{bson.D{{Key: "_id", Value: "sh1"}, {Key: "host", Value: "rs0/" + rs.Member(0).Addr()}}}}}, nil
	}}
	mongos, err := mongoserver.NewMongos(f.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mongos.Close(); checkScript(t, f, mongos) })
	s := newSource(t, "mongodb://"+mongos.Addr(), nil)
	res := mustPoll(t, s)
	got := roles(res)
	if got[mongos.Addr()] != roleMongos || got[rs.Member(0).Addr()] != rolePrimary || got[rs.Member(1).Addr()] != roleSecondary {
		t.Errorf("roles = %v", got)
	}
	if res.Members[0].ID != mongos.Addr() {
		t.Errorf("mongos not listed first: %v", res.Members)
	}
}

func TestPollKeepsTwoConnectionsPerMemberOfASet(t *testing.T) {
	rs, _ := startSet(t, 3)
	s := newSource(t, rs.URI(), nil)
	for i := 0; i < 10; i++ {
		mustPoll(t, s)
	}
	for i := 0; i < 3; i++ {
		if n := rs.Member(i).Accepted(); n != 2 {
			t.Errorf("member %d accepted %d connections over 10 polls, want 2", i, n)
		}
	}
}

func TestPollHasAtMostMaxInFlightMembersAsked(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak := 0, 0
	fakes := make([]*fakeMongod, 7)
	for i := range fakes {
		fakes[i] = newFake()
	}
	rs, err := mongoserver.NewReplicaSet("rs0", len(fakes), func(i int, cmd string, body bson.Raw) (bson.D, error) {
		if cmd == "serverStatus" {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
			time.Sleep(50 * time.Millisecond)
			mu.Lock()
			inFlight--
			mu.Unlock()
		}
		return fakes[i].handle(cmd, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for i, f := range fakes {
		f.repl = func() bson.D { return rs.Hello(i) }
	}
	s := newSource(t, rs.URI(), nil)
	res := mustPoll(t, s)
	if len(res.Members) != 7 || peak > maxInFlight || peak < 2 {
		t.Errorf("%d members, peak %d serverStatus in flight; want 7 members, 2..%d", len(res.Members), peak, maxInFlight)
	}
}

func TestPollOfADirectConnectionWatchesThatMemberOnly(t *testing.T) {
	rs, _ := startSet(t, 3)
	s := newSource(t, "mongodb://"+rs.Member(1).Addr()+"/?directConnection=true", nil)
	mustPoll(t, s)
	res := mustPoll(t, s)
	if len(res.Members) != 1 || res.Members[0].ID != rs.Member(1).Addr() || res.Members[0].Role != roleSecondary {
		t.Errorf("members = %+v, want member 1 alone", res.Members)
	}
	if n := rs.Member(0).Requests("serverStatus") + rs.Member(2).Requests("serverStatus"); n != 0 {
		t.Errorf("other members polled %d times", n)
	}
}
