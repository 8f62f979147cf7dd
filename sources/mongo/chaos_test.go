package mongo

import (
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/bench/uiloop"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// chaosMongod is a raw server's script: a healthy serverStatus whose
// counters grow, or one of the faults an incident brings.
type chaosMongod struct {
	mu      sync.Mutex
	mode    string // ok, stall, malformed, garbage, close, oversized
	conns   int32
	pid     int64
	ops     int64
	release chan struct{}
	big     int // oversized replies sent
}

func (c *chaosMongod) set(mode string, conns int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == "stall" {
		close(c.release)
	}
	c.mode, c.conns = mode, conns
	c.release = make(chan struct{})
}

// restart is a mongod coming back: a new pid and every counter at zero.
func (c *chaosMongod) restart() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pid++
	c.ops = 0
}

func (c *chaosMongod) reply(cmd string) []byte {
	c.mu.Lock()
	mode, conns, release := c.mode, c.conns, c.release
	c.ops += 50
	ops, pid := c.ops, c.pid
	c.mu.Unlock()
	if cmd != "serverStatus" {
		out, _ := bson.Marshal(bson.D{{Key: "ok", Value: 0.0}, {Key: "code", Value: int32(59)}, {Key: "codeName", Value: "CommandNotFound"}})
		return out
	}
	switch mode {
	case "stall":
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	case "malformed":
		return corruptInner()
	case "garbage":
		return []byte(strings.Repeat("\xff", 64))
	case "close":
		return nil
	}
	now := time.Now()
	d := bson.D{{Key: "host", Value: "chaos"}, {Key: "version", Value: "7.0.9"}, {Key: "process", Value: "mongod"},
		{Key: "pid", Value: pid}, {Key: "uptime", Value: float64(ops)}, {Key: "localTime", Value: bson.NewDateTimeFromTime(now)},
		{Key: "connections", Value: bson.D{{Key: "current", Value: conns}, {Key: "available", Value: int32(1000) - conns}}},
		{Key: "extra_info", Value: bson.D{{Key: "user_time_us", Value: ops * 100}, {Key: "system_time_us", Value: ops * 100}}},
		{Key: "opcounters", Value: bson.D{{Key: "insert", Value: ops}, {Key: "query", Value: ops}, {Key: "command", Value: ops}}},
	}
	if mode == "oversized" { // past maxBsonObjectSize (16 MB), but a whole message
		d = append(d, bson.E{Key: "padding", Value: bson.Binary{Data: make([]byte, 17<<20)}})
		c.mu.Lock()
		c.big++
		c.mu.Unlock()
	}
	d = append(d, bson.E{Key: "ok", Value: 1.0})
	out, _ := bson.Marshal(d)
	return out
}

// TestChaosDashboardSurvivesAMisbehavingMongod runs the real source through
// the real engine into a dashboard model, and puts the server through a
// stall, a malformed reply, garbage, a dropped connection, an oversized
// reply and a restart with its counters reset. The dashboard must keep
// drawing (no Update+View blocked: see uiloop.CheckBlocking), name each fault on the db source's
// status line, and come back by itself with the alert's transitions intact.
func TestChaosDashboardSurvivesAMisbehavingMongod(t *testing.T) {
	script := &chaosMongod{pid: 1}
	script.set("ok", 100)
	srv := startRaw(t, script.reply)
	src := newSource(t, "mongodb://"+srv.addr()+"/?directConnection=true", func(c *Config) {
		c.Interval, c.Timeout = 200*time.Millisecond, 400*time.Millisecond
	})
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: 200 * time.Millisecond,
			Timeout: 600 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}}},
		Rules: []alert.Rule{{Name: "db-conns", Series: "db.connections", Op: alert.Above, Threshold: 80,
			Severity: alert.Warning, NoData: alert.NoDataState, NoDataAfter: 3 * time.Second}},
	})
	view := uiloop.Dashboard(t, e, 140, 40)

	view.Await(t, "the alert firing", func(s string) bool { return strings.Contains(s, "FIRING") && strings.Contains(s, "db-conns") })
	for _, fault := range []struct{ mode, want string }{
		{"stall", "timeout"},
		{"malformed", "malformed"},
		{"garbage", "malformed"},
		{"close", "unreachable"},
	} {
		script.set(fault.mode, 100)
		scr := view.Await(t, "the db source failing with "+fault.mode, func(s string) bool {
			return strings.Contains(uiloop.StatusLine(s), "db error: ") && strings.Contains(uiloop.StatusLine(s), fault.want)
		})
		t.Logf("%-9s -> %s", fault.mode, uiloop.StatusLine(scr))
		h := e.Snapshot().Sources[0]
		if h.State != monitor.Failing || strings.Contains(h.Err, "\n") {
			t.Errorf("%s: health %+v", fault.mode, h)
		}
		script.set("ok", 100)
		view.Await(t, "recovery after "+fault.mode, func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "db ok") })
	}
	script.set("oversized", 100)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		script.mu.Lock()
		big := script.big
		script.mu.Unlock()
		if big > 0 {
			break
		}
	}
	script.restart()
	script.set("ok", 10)
	view.Await(t, "the alert resolved", func(s string) bool {
		return strings.Contains(uiloop.StatusLine(s), "db ok") && strings.Contains(s, "no alerts firing")
	})

	frames, got, maxBlock, slowest, _ := view.Stats()
	t.Logf("%d frames, %d snapshots, longest Update+View %s (%s)", frames, got, maxBlock, slowest)
	view.CheckBlocking(t)
	uiloop.CheckTransitions(t, e.Snapshot(), "db-conns")
	for k, v := range e.Snapshot().Series {
		if strings.HasPrefix(k, "db.ops.") || strings.HasPrefix(k, "db.cpu") {
			v.Each(0, 1<<62, func(p series.Point) bool {
				if p.V < 0 {
					t.Errorf("%s has a negative rate %v after the counter reset", k, p.V)
				}
				return true
			})
		}
	}
}

// TestChaosFerretDBKilledAndRestarted kills a real wire-protocol server
// (FerretDB) with SIGKILL mid-run and starts it again on the same port: the
// dashboard keeps drawing, the db source's status line says the server is
// unreachable, and it comes back by itself.
func TestChaosFerretDBKilledAndRestarted(t *testing.T) {
	f := startFerretDB(t)
	src := newSource(t, "mongodb://"+f.addr+"/?directConnection=true", func(c *Config) {
		c.Interval, c.Timeout = 200*time.Millisecond, 500*time.Millisecond
	})
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{
		Interval: 200 * time.Millisecond, Timeout: 700 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}}}})
	view := uiloop.Dashboard(t, e, 140, 40)

	view.Await(t, "the db source healthy", func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "db ok") })
	f.cmd.Process.Kill()
	f.cmd.Wait()
	f.cmd = nil
	scr := view.Await(t, "the db source failing", func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "db error: ") })
	t.Logf("killed    -> %s", strings.TrimSpace(uiloop.StatusLine(scr)))
	f.start(t)
	view.Await(t, "the db source back", func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "db ok") })
	view.CheckBlocking(t)
	if h := e.Snapshot().Sources[0]; strings.Contains(h.Err, "\n") {
		t.Errorf("a multi-line error: %q", h.Err)
	}
}

// TestChaosFailoverOnTheDashboard moves the primary of a scripted replica
// set while the dashboard runs: the status line follows the new roles
// within a few polls, with no error and no blocked frame.
func TestChaosFailoverOnTheDashboard(t *testing.T) {
	rs, _ := startSet(t, 2)
	src := newSource(t, rs.URI(), func(c *Config) { c.Interval, c.Timeout = 200*time.Millisecond, 500*time.Millisecond })
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{
		Interval: 200 * time.Millisecond, Timeout: 700 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}}}})
	view := uiloop.Dashboard(t, e, 200, 40)
	a, b := rs.Member(0).Addr(), rs.Member(1).Addr()
	view.Await(t, "member 0 primary", func(s string) bool { return strings.Contains(uiloop.StatusLine(s), a+" P ✔") })
	rs.SetPrimary(1)
	scr := view.Await(t, "member 1 primary", func(s string) bool {
		l := uiloop.StatusLine(s)
		return strings.Contains(l, b+" P ✔") && strings.Contains(l, a+" S ✔")
	})
	t.Logf("after failover -> %s", strings.TrimSpace(uiloop.StatusLine(scr)))
	view.CheckBlocking(t)
}
