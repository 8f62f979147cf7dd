package mongo

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources"
)

// ferretDB runs the tools/ferretdb binary: a real server speaking the
// MongoDB wire protocol (SQLite backend) with a deliberately partial
// serverStatus, which is what the missing-section paths need.
type ferretDB struct {
	bin, addr, dir string
	cmd            *exec.Cmd
}

func startFerretDB(t *testing.T) *ferretDB {
	t.Helper()
	bin := os.Getenv("STORMWATCH_FERRETDB")
	if bin == "" {
		t.Skip("FerretDB not built; run scripts/test.sh")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &ferretDB{bin: bin, addr: ln.Addr().String(), dir: t.TempDir()}
	ln.Close()
	f.start(t)
	t.Cleanup(f.stop)
	return f
}

func (f *ferretDB) start(t *testing.T) {
	t.Helper()
	f.cmd = exec.Command(f.bin, "-listen", f.addr, "-dir", f.dir)
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the port, not for a ping: it accepts ~20 ms after start.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", f.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("FerretDB did not listen on %s: %v", f.addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *ferretDB) stop() {
	if f.cmd == nil || f.cmd.Process == nil {
		return
	}
	f.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { f.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		f.cmd.Process.Kill()
		<-done
	}
	f.cmd = nil
}

func TestFerretDBIntegration(t *testing.T) {
	f := startFerretDB(t)
	const interval = 2 * time.Second
	s := newSource(t, "mongodb://"+f.addr+"/?appName=ignored", func(c *Config) {
		c.Interval, c.Timeout = interval, time.Second
	})

	t.Run("a partial serverStatus gives what it has and no error", func(t *testing.T) {
		mustPoll(t, s)
		res := mustPoll(t, s)
		got := values(res)
		if _, ok := got[key("db.uptime", f.addr)]; !ok {
			t.Errorf("no uptime: %v", got)
		}
		// No opcounters, connections, wiredTiger or extra_info on
		// FerretDB: those series must be absent, not zero.
		for _, absent := range []string{"db.ops.", "db.connections", "db.cache.", "db.cpu", "db.queue."} {
			if hasPrefixKey(got, absent) {
				t.Errorf("%s* present on a server that does not report it: %v", absent, got)
			}
		}
		m, ok := memberOf(res, f.addr)
		if !ok || !m.OK || m.Role != roleStandalone {
			t.Errorf("member = %+v", m)
		}
		found := false
		for _, fact := range res.Facts {
			found = found || (fact.Key == "server" && strings.HasPrefix(fact.Value.String(), "ferretdb"))
		}
		if !found {
			t.Errorf("facts = %v, want one naming the server", res.Facts)
		}
	})

	t.Run("replSetGetStatus is not available, not an error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := run(ctx, s.members[f.addr].client, bson.D{{Key: "replSetGetStatus", Value: 1}})
		err = classify("replSetGetStatus", err)
		if !errors.Is(err, sources.ErrNotFound) || err.Error() != "command not found: replSetGetStatus" {
			t.Fatalf("classified as %v", err)
		}
		s.noteRepl(err)
		if v := s.notes["repl lag"]; !strings.HasPrefix(v, "not available") {
			t.Errorf("repl lag note = %q", v)
		}
	})

	t.Run("a stopped server is reported, not waited for", func(t *testing.T) {
		f.stop()
		start := time.Now()
		res, err := poll(t, s)
		took := time.Since(start)
		if !errors.Is(err, sources.ErrUnreachable) && !errors.Is(err, sources.ErrTimeout) {
			t.Errorf("err = %v, want unreachable or timeout", err)
		}
		t.Logf("stopped: %v after %v", err, took.Round(time.Millisecond))
		// A hang detector, not a timing: the driver's own wait would be
		// 30 s; a loaded machine may add seconds to the member timeout.
		if took > 10*time.Second {
			t.Errorf("took %v: the poll waited for the stopped server (interval %v)", took, interval)
		}
		if m, _ := memberOf(res, f.addr); m.OK {
			t.Errorf("member still OK: %+v", m)
		}
	})

	t.Run("a restarted server recovers by itself", func(t *testing.T) {
		f.start(t)
		deadline := time.Now().Add(10 * time.Second)
		for {
			res, err := poll(t, s)
			if m, _ := memberOf(res, f.addr); err == nil && m.OK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no recovery: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}
