package mongo

import (
	"errors"
	"go.mongodb.org/mongo-driver/v2/bson"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/internal/testnet"
	"github.com/stormwatch/stormwatch/sources"
)

func TestPollStandaloneGivesRatesFromTheSecondPoll(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	s := newSource(t, "mongodb://"+srv.Addr(), nil)
	addr := srv.Addr()

	first := values(mustPoll(t, s))
	if _, ok := first[key("db.connections", addr)]; !ok {
		t.Fatalf("no gauge on the first poll: %v", first)
	}
	if hasPrefixKey(first, "db.ops.") || hasPrefixKey(first, "db.cpu") {
		t.Fatalf("rates on the first poll: %v", first)
	}
	res := mustPoll(t, s)
	got := values(res)
	if got[key("db.ops.insert", addr)] <= 0 || got[key("db.ops.total", addr)] <= 0 {
		t.Errorf("no op rates on the second poll: %v", got)
	}
	// hostInfo said 4 cores: db.cpu is the machine share, db.cpu.process is not.
	if c, p := got[key("db.cpu", addr)], got[key("db.cpu.process", addr)]; p <= 0 || c*4-p > 1e-9 || p-c*4 > 1e-9 {
		t.Errorf("cpu %v, cpu.process %v: want cpu = process/4", c, p)
	}
	m, ok := memberOf(res, addr)
	if !ok || !m.OK || m.Role != roleStandalone || m.LastOK.IsZero() {
		t.Errorf("member = %+v", m)
	}
	if u := srv.Unknown(); len(u) != 0 {
		t.Errorf("unexpected commands: %v", u)
	}
	if n := srv.Requests("hostInfo"); n != 1 {
		t.Errorf("hostInfo sent %d times, want once per member", n)
	}
}

func TestPollUsesTwoConnectionsPerMember(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	s := newSource(t, "mongodb://"+srv.Addr(), nil)
	for i := 0; i < 20; i++ {
		mustPoll(t, s)
	}
	// One heartbeat connection and one for commands, however many polls.
	if n := srv.Accepted(); n != 2 {
		t.Errorf("%d connections accepted over 20 polls, want 2", n)
	}
	t.Logf("20 polls: %d connections, %d serverStatus requests, %d hello requests, %d bytes of serverStatus replies",
		srv.Accepted(), srv.Requests("serverStatus"), srv.Requests("hello")+srv.Requests("isMaster"), srv.BytesSent("serverStatus"))
}

func TestPollAfterARestartGivesNoNegativeSpike(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	s := newSource(t, "mongodb://"+srv.Addr(), nil)
	addr := srv.Addr()
	mustPoll(t, s)
	mustPoll(t, s)

	srv.Stop()
	f.restart()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	var res sources.Result
	var err error
	for i := 0; i < 20; i++ { // the first poll may meet the dead connection
		if res, err = poll(t, s); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("no recovery after restart: %v", err)
	}
	got := values(res)
	if hasPrefixKey(got, "db.ops.") || hasPrefixKey(got, "db.cpu") {
		t.Errorf("rates across a restart: %v", got)
	}
	after := values(mustPoll(t, s))
	if v := after[key("db.ops.insert", addr)]; v <= 0 {
		t.Errorf("no rate after the restart settled: %v", after)
	}
	for k, v := range after {
		if v < 0 {
			t.Errorf("%s = %v", k, v)
		}
	}
}

func TestPollOfAnUnreachableServerIsClassified(t *testing.T) {
	addr := testnet.ClosedAddr(t)
	s := newSource(t, "mongodb://stormwatch:s3cret-pw@"+addr+"/?authSource=admin", func(c *Config) { c.Timeout = 500 * time.Millisecond })
	start := time.Now()
	res, err := poll(t, s)
	if err == nil {
		t.Fatal("poll of a closed port succeeded")
	}
	if !errors.Is(err, sources.ErrUnreachable) && !errors.Is(err, sources.ErrTimeout) {
		t.Errorf("error %q is neither unreachable nor timeout", err)
	}
	if took := time.Since(start); took > 10*time.Second { // a hang detector: the driver's own wait is 30 s
		t.Errorf("poll took %v with a 500ms member timeout", took)
	}
	m, ok := memberOf(res, addr)
	if !ok || m.OK || m.Error == "" {
		t.Errorf("member = %+v, want it failing with a reason", m)
	}
	for _, text := range []string{err.Error(), m.Error} {
		if strings.Contains(text, "s3cret") {
			t.Errorf("password leaked: %q", text)
		}
	}
}

func TestPollClassifiesAuthAndPermissionFailures(t *testing.T) {
	t.Run("a refused password is ErrAuth", func(t *testing.T) {
		f := newFake()
		f.extra = map[string]mongoserver.Handler{"saslStart": func(string, bson.Raw) (bson.D, error) { return nil, mongoserver.ErrAuthFailed }}
		srv := startFake(t, f)
		s := newSource(t, "mongodb://u:hunter2@"+srv.Addr()+"/?authSource=admin", nil)
		_, err := poll(t, s)
		if !errors.Is(err, sources.ErrAuth) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("err = %v, want ErrAuth without the password", err)
		}
	})
	t.Run("serverStatus without clusterMonitor is ErrPermission", func(t *testing.T) {
		f := newFake()
		f.ssErr = mongoserver.ErrUnauthorized
		srv := startFake(t, f)
		s := newSource(t, "mongodb://"+srv.Addr(), nil)
		_, err := poll(t, s)
		if !errors.Is(err, sources.ErrPermission) || !strings.Contains(err.Error(), "not authorized for serverStatus: needs clusterMonitor") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNewRejectsABadURIWithoutShowingThePassword(t *testing.T) {
	for _, uri := range []string{"mongodb://u:pa55word@host:notaport", "http://u:pa55word@host", "mongodb://u:pa55word@h/?replicaSet=a&directConnection=true&connect=bogus"} {
		_, err := New(Config{URI: uri})
		if err == nil {
			t.Errorf("%q accepted", uri)
			continue
		}
		if strings.Contains(err.Error(), "pa55word") {
			t.Errorf("password in %q", err)
		}
	}
	if _, err := New(Config{URI: "mongodb+srv://u:p@cluster0.example.net/?appName=x"}); err != nil {
		t.Errorf("SRV URI refused (it must not be resolved in New): %v", err)
	}
}

func TestPollAsksForWiredTigerOnlyEveryReplInterval(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	clock := time.Now()
	s := newSource(t, "mongodb://"+srv.Addr(), func(c *Config) {
		c.Interval, c.ReplInterval = 5*time.Second, 10*time.Second
		c.Now = func() time.Time { return clock }
	})
	for i := 0; i < 5; i++ {
		mustPoll(t, s)
		clock = clock.Add(5 * time.Second)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if want := []bool{true, false, true, false, true}; !slices.Equal(f.storage, want) {
		t.Errorf("wiredTiger asked for on polls %v, want %v", f.storage, want)
	}
}

func TestPollWithoutHostInfoSaysCPUIsNotDividedByCores(t *testing.T) {
	f := newFake()
	f.noCores = true
	srv := startFake(t, f)
	s := newSource(t, "mongodb://"+srv.Addr(), nil)
	mustPoll(t, s)
	res := mustPoll(t, s)
	got := values(res)
	if c, p := got[key("db.cpu", srv.Addr())], got[key("db.cpu.process", srv.Addr())]; c != p || p <= 0 {
		t.Errorf("cpu %v, cpu.process %v: want them equal when cores are unknown", c, p)
	}
	found := false
	for _, f := range res.Facts {
		found = found || (f.Key == "cpu" && strings.Contains(f.Value.String(), "core count unknown"))
	}
	if !found {
		t.Errorf("no fact about undivided cpu: %v", res.Facts)
	}
	mustPoll(t, s)
	if n := srv.Requests("hostInfo"); n != 1 {
		t.Errorf("hostInfo asked %d times after it failed; once is enough", n)
	}
}
