package mongo

import (
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/bench/uiloop"
	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// fleet is a sharded cluster of scripted servers whose serverStatus can be
// held on one shard (a shard that has stopped answering), and which counts
// how many serverStatus commands are in flight across all its servers.
type fleet struct {
	*mongoserver.Cluster
	mu       sync.Mutex
	inFlight int
	peak     int
	held     int           // shard whose serverStatus waits for release; -1: none
	release  chan struct{} // closed to let the held shard answer
}

func startFleet(t *testing.T, shards, members, routers int) *fleet {
	t.Helper()
	f := &fleet{held: -1, release: make(chan struct{})}
	fakes := map[[2]int]*fakeMongod{}
	for sh := -1; sh < shards; sh++ {
		n := members
		if sh < 0 {
			n = routers
		}
		for i := 0; i < n; i++ {
			fk := newFake()
			if sh < 0 {
				fk.process = "mongos"
			}
			fakes[[2]int{sh, i}] = fk
		}
	}
	c, err := mongoserver.NewCluster(shards, members, routers, func(sh, i int, cmd string, body bson.Raw) (bson.D, error) {
		if cmd == "serverStatus" {
			f.mu.Lock()
			f.inFlight++
			f.peak = max(f.peak, f.inFlight)
			held, release := f.held >= 0 && f.held == sh, f.release
			f.mu.Unlock()
			defer func() {
				f.mu.Lock()
				f.inFlight--
				f.mu.Unlock()
			}()
			if held {
				<-release
			}
		}
		return fakes[[2]int{sh, i}].handle(cmd, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	for sh, rs := range c.Shards {
		for i := 0; i < members; i++ {
			fakes[[2]int{sh, i}].repl = func() bson.D { return rs.Hello(i) }
		}
	}
	f.Cluster = c
	t.Cleanup(func() {
		f.hold(-1)
		c.Close()
	})
	return f
}

// hold makes shard sh stop answering serverStatus (-1: let it answer).
func (f *fleet) hold(sh int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.held >= 0 {
		close(f.release)
		f.release = make(chan struct{})
	}
	f.held = sh
}

func (f *fleet) asked() map[string]int {
	out := map[string]int{}
	for _, s := range f.Servers() {
		out[s.Addr()] = s.Requests("serverStatus")
	}
	return out
}

// TestFleetOf51MembersIsPolledEveryRoundAndASlowShardDelaysNoOne runs the
// real driver against 16 shards of 3 members and 3 mongos (51 servers). A
// healthy round brings every member's sample back in the same poll (so
// the round ends within its wait, half an interval); no more than
// maxInFlight serverStatus are ever out at once; every member keeps its 2
// connections; and while shard-07 stops answering, every other member is
// still asked exactly once per round and answers in that round, while
// shard-07's members are asked once and then left alone until they reply.
// The clock is injected (rounds are counted, never timed).
func TestFleetOf51MembersIsPolledEveryRoundAndASlowShardDelaysNoOne(t *testing.T) {
	f := startFleet(t, 16, 3, 3)
	clk := newTestClock()
	s := newSource(t, f.URI(), func(c *Config) {
		c.Now = clk.Now
		c.Timeout = 30 * time.Second // the held shard must not simply time out
		// A round waits half an interval of real time for its members.
		// 4 s (a 2 s wait) keeps 48 healthy in-process servers inside it
		// on a loaded 2-core machine under -race; the clock still
		// advances one second a round, so nothing else changes.
		c.Interval = 4 * time.Second
	})
	res := mustPoll(t, s)
	if len(res.Members) != 51 {
		t.Fatalf("%d members, want 51", len(res.Members))
	}
	roles, shards := map[string]int{}, map[string]int{}
	for _, m := range res.Members {
		roles[m.Role]++
		shards[m.Shard]++
	}
	if roles[rolePrimary] != 16 || roles[roleSecondary] != 32 || roles[roleMongos] != 3 {
		t.Errorf("roles %v", roles)
	}
	if len(shards) != 17 || shards["shard-07"] != 3 || shards[""] != 3 {
		t.Errorf("members per shard %v", shards)
	}
	slow := map[string]bool{}
	for i := 0; i < f.Shards[7].Len(); i++ {
		slow[f.Shards[7].Member(i).Addr()] = true
	}
	check := func(round int, res sources.Result, before, after map[string]int) {
		t.Helper()
		got := values(res)
		for addr, n := range after {
			asked := n - before[addr]
			m, _ := memberOf(res, addr)
			_, sampled := got[key("db.connections", addr)]
			switch {
			case !slow[addr] || f.held < 0:
				if asked != 1 || !m.OK || !sampled {
					t.Errorf("round %d: %s asked %d times, OK %v, sampled %v (%s)", round, addr, asked, m.OK, sampled, m.Error)
				}
			case round == 1 && asked != 1, round > 1 && asked != 0:
				t.Errorf("round %d: held member %s asked %d times", round, addr, asked)
			case m.OK || !strings.HasPrefix(m.Error, "slow: no reply within"):
				t.Errorf("round %d: held member shown as %+v", round, m)
			}
		}
	}
	for round := 0; round < 8; round++ {
		if round == 1 {
			f.hold(7)
		}
		clk.Advance(time.Second)
		before := f.asked()
		res, err := poll(t, s)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		check(round, res, before, f.asked())
	}
	f.hold(-1)
	// The held replies come in during the next round; the one after asks
	// shard-07 again like everyone else.
	clk.Advance(time.Second)
	mustPoll(t, s)
	clk.Advance(time.Second)
	before := f.asked()
	res = mustPoll(t, s)
	check(99, res, before, f.asked())

	f.mu.Lock()
	peak := f.peak
	f.mu.Unlock()
	if peak > maxInFlight || peak < 2 {
		t.Errorf("peak %d serverStatus in flight, want 2..%d", peak, maxInFlight)
	}
	for _, srv := range f.Servers() {
		if n := srv.Accepted(); n > 2 {
			t.Errorf("%s accepted %d connections, want at most 2", srv.Addr(), n)
		}
	}
	t.Logf("51 members, 10 rounds: peak %d serverStatus in flight", peak)
}

// TestFleetOnTheDashboard is the scale scenario end to end: 51 scripted
// servers through the real driver, the real engine and a headless
// dashboard at 250x70. The status line counts the members instead of
// listing them, the DB graph draws the band, and when shard-07 stops
// answering the line says 3 stale while the rest stay ok. Polls are
// counted through the screen, never timed.
func TestFleetOnTheDashboard(t *testing.T) {
	f := startFleet(t, 16, 3, 3)
	src := newSource(t, f.URI(), func(c *Config) { c.Interval, c.Timeout = 500*time.Millisecond, 5*time.Second })
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{
		Interval: 500 * time.Millisecond, Timeout: 10 * time.Second}}}})
	view := uiloop.Dashboard(t, e, 250, 70)
	scr := view.Await(t, "51 members ok and a band", func(s string) bool {
		return strings.Contains(uiloop.StatusLine(s), "51 ok") && strings.Contains(s, "░")
	})
	if l := uiloop.StatusLine(scr); strings.Contains(l, "27018") || strings.Contains(l, ", 127.0.0.1") {
		t.Errorf("status line lists members: %q", l)
	}
	f.hold(7)
	scr = view.Await(t, "shard-07 stale", func(s string) bool {
		return strings.Contains(uiloop.StatusLine(s), "48 ok · 3 stale")
	})
	t.Logf("%s", strings.TrimSpace(uiloop.StatusLine(scr)))
	f.hold(-1)
	view.Await(t, "shard-07 back", func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "51 ok") })
	// A 250x70 frame of 51 members costs milliseconds, tens under -race:
	// its cost is measured in BENCHMARKS.md, not asserted here.
	view.CheckNoPanic(t)
}
