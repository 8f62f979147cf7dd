package mongo

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// fakeMongod scripts one mongod's serverStatus: counters that grow on every
// request, the wall clock as localTime, and a restart that starts them over.
type fakeMongod struct {
	mu      sync.Mutex
	pid     int64
	start   time.Time
	ops     int64
	repl    func() bson.D                  // the member's view of its set, nil when standalone
	extra   map[string]mongoserver.Handler // other commands
	used    map[string]int                 // calls per extra handler
	ssErr   error
	process string // "mongod" when empty
	storage []bool // per serverStatus: whether wiredTiger was asked for
	noCores bool
}

func newFake() *fakeMongod { return &fakeMongod{pid: 100, start: time.Now().Add(-time.Hour)} }

func (f *fakeMongod) restart() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pid++
	f.start = time.Now()
	f.ops = 0
}

func (f *fakeMongod) handle(cmd string, body bson.Raw) (bson.D, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h := f.extra[cmd]; h != nil {
		if f.used == nil {
			f.used = map[string]int{}
		}
		f.used[cmd]++
		return h(cmd, body)
	}
	switch cmd {
	case "serverStatus":
		if f.ssErr != nil {
			return nil, f.ssErr
		}
		f.ops += 10
		_, noWT := body.Lookup("wiredTiger").AsInt64OK()
		f.storage = append(f.storage, !noWT)
		now := time.Now()
		process := f.process
		if process == "" {
			process = "mongod"
		}
		up := now.Sub(f.start)
		d := bson.D{
			{Key: "host", Value: "fake"}, {Key: "version", Value: "7.0.9"}, {Key: "process", Value: process},
			{Key: "pid", Value: f.pid}, {Key: "uptime", Value: up.Seconds()}, {Key: "uptimeMillis", Value: up.Milliseconds()},
			{Key: "localTime", Value: bson.NewDateTimeFromTime(now)},
			{Key: "connections", Value: bson.D{{Key: "current", Value: int32(5)}, {Key: "available", Value: int32(95)}}},
			{Key: "extra_info", Value: bson.D{{Key: "user_time_us", Value: f.ops * 1000}, {Key: "system_time_us", Value: f.ops * 1000}, {Key: "page_faults", Value: int64(0)}}},
			{Key: "opcounters", Value: bson.D{{Key: "insert", Value: f.ops}, {Key: "query", Value: f.ops}, {Key: "update", Value: int64(0)},
				{Key: "delete", Value: int64(0)}, {Key: "getmore", Value: int64(0)}, {Key: "command", Value: f.ops}}},
		}
		if f.repl != nil {
			d = append(d, bson.E{Key: "opcountersRepl", Value: bson.D{{Key: "insert", Value: f.ops}, {Key: "query", Value: int64(0)}, {Key: "update", Value: int64(0)},
				{Key: "delete", Value: int64(0)}, {Key: "getmore", Value: int64(0)}, {Key: "command", Value: int64(0)}}})
			d = append(d, bson.E{Key: "repl", Value: f.repl()})
		}
		return d, nil
	case "hostInfo":
		if f.noCores {
			return nil, mongoserver.ErrUnauthorized
		}
		return bson.D{{Key: "system", Value: bson.D{{Key: "numCores", Value: int32(4)}}}}, nil
	}
	return nil, nil
}

func startFake(t *testing.T, f *fakeMongod) *mongoserver.Server {
	t.Helper()
	srv, err := mongoserver.New(f.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		checkScript(t, f, srv)
	})
	return srv
}

// checkScript fails the test on a command the script did not expect (only
// replSetGetStatus may be unknown: the source must cope with that) and on a
// scripted reply that was never asked for.
func checkScript(t *testing.T, f *fakeMongod, srv *mongoserver.Server) {
	t.Helper()
	for _, cmd := range srv.Unknown() {
		if cmd != "replSetGetStatus" {
			t.Errorf("unexpected command %q", cmd)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for cmd := range f.extra {
		if f.used[cmd] == 0 {
			t.Errorf("scripted %s never asked for", cmd)
		}
	}
}

func newSource(t *testing.T, uri string, mut func(*Config)) *Source {
	t.Helper()
	cfg := Config{Name: "db", URI: uri, Interval: time.Second, Timeout: 800 * time.Millisecond}
	// The culprit tables are off unless a test turns them on: each
	// scripted server answers only what its test expects.
	cfg.CulpritInterval, cfg.TopInterval, cfg.CollStatsInterval = -1, -1, -1
	if mut != nil {
		mut(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func poll(t *testing.T, s *Source) (sources.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	time.Sleep(15 * time.Millisecond) // localTime has millisecond resolution
	return s.Poll(ctx)
}

func mustPoll(t *testing.T, s *Source) sources.Result {
	t.Helper()
	res, err := poll(t, s)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return res
}

// values maps series keys to the values of one poll.
func values(res sources.Result) map[string]float64 {
	m := map[string]float64{}
	for _, smp := range res.Samples {
		m[smp.Key] = smp.Point.V
	}
	return m
}

func memberOf(res sources.Result, id string) (sources.Member, bool) {
	for _, m := range res.Members {
		if m.ID == id {
			return m, true
		}
	}
	return sources.Member{}, false
}

func key(name, addr string) string { return series.Key(name, addr) }

func hasPrefixKey(vals map[string]float64, prefix string) bool {
	for k := range vals {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
