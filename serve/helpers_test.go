package serve_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/serve"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/ui"
)

// counting is a source that counts its polls and always breaches t-high,
// with CPU series that change every poll so every frame has news.
type counting struct {
	polls atomic.Int64
	now   func() time.Time
}

func (c *counting) Name() string { return "test" }

func (c *counting) Poll(ctx context.Context) (sources.Result, error) {
	n := c.polls.Add(1)
	now := c.now()
	v := 50 + 45*math.Sin(float64(n)/3)
	return sources.Result{Samples: []series.Sample{
		{Key: "main.cpu", Point: series.At(now, v)},
		{Key: "db.cpu@db-1:27017", Point: series.At(now, 100-v)},
		{Key: "t.cpu", Point: series.At(now, 99)},
	}}, nil
}

// fixture is an engine polling every 10 ms behind a server on 127.0.0.1:0.
type fixture struct {
	src      *counting
	engine   *monitor.Engine
	server   *serve.Server
	addr     string
	viewer   gossh.Signer // in authorized_keys as "vera"
	operator gossh.Signer // in the operators file as "olga"
	stranger gossh.Signer // in neither
	dir      string
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorizedLine(s gossh.Signer, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))) + " " + comment + "\n"
}

func start(t *testing.T, maxSessions int) *fixture {
	t.Helper()
	// A short range over 10 ms polls scrolls every graph on every frame:
	// plenty of output to fill a stalled viewer's window.
	return startWith(t, maxSessions, 10*time.Millisecond, 3*time.Second)
}

func startWith(t *testing.T, maxSessions int, interval, rng time.Duration, opts ...func(*serve.Config)) *fixture {
	t.Helper()
	f := &fixture{viewer: newSigner(t), operator: newSigner(t), stranger: newSigner(t), dir: t.TempDir()}
	clock := monitor.RealClock{}
	f.src = &counting{now: clock.Now}
	f.engine = monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: f.src, Schedule: sources.Schedule{Interval: interval}}},
		Rules:   []alert.Rule{{Name: "t-high", Series: "t.cpu", Op: alert.Above, Threshold: 50, M: 1, N: 1, Severity: alert.Critical}},
		Clock:   clock,
	})
	keys := filepath.Join(f.dir, "authorized_keys")
	ops := filepath.Join(f.dir, "operators")
	os.WriteFile(keys, []byte("# viewers\n"+authorizedLine(f.viewer, "vera")), 0o600)
	os.WriteFile(ops, []byte(authorizedLine(f.operator, "olga")), 0o600)
	cfg := serve.Config{
		Engine:         f.engine,
		HostKey:        filepath.Join(f.dir, "state", "ssh_host_ed25519_key"),
		AuthorizedKeys: keys,
		Operators:      ops,
		MaxSessions:    maxSessions,
		UI:             ui.Options{Range: rng},
	}
	for _, o := range opts {
		o(&cfg)
	}
	var err error
	f.server, err = serve.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		f.engine.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		if err := f.server.Serve(ln); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer scancel()
		if err := f.server.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		cancel()
		wg.Wait()
	})
	return f
}

func (f *fixture) dial(signer gossh.Signer, user string) (*gossh.Client, error) {
	return gossh.Dial("tcp", f.addr, &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         30 * time.Second,
	})
}

// viewer is a client session with a pty whose output is read into a
// buffer, or never read at all when stalled.
type viewer struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  interface{ Write([]byte) (int, error) }

	mu     sync.Mutex
	out    bytes.Buffer
	n      atomic.Int64
	closed atomic.Bool // the server ended the session
}

func (f *fixture) open(t *testing.T, signer gossh.Signer, w, h int, stalled bool) *viewer {
	t.Helper()
	c, err := f.dial(signer, "tester")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	v := &viewer{client: c, sess: sess}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	v.stdin = stdin
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	if !stalled {
		go func() {
			buf := make([]byte, 32<<10)
			for {
				n, err := stdout.Read(buf)
				v.mu.Lock()
				v.out.Write(buf[:n])
				v.mu.Unlock()
				v.n.Add(int64(n))
				if err != nil {
					v.closed.Store(true)
					return
				}
			}
		}()
	}
	t.Cleanup(func() {
		sess.Close()
		c.Close()
	})
	return v
}

func (v *viewer) output() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.out.String()
}

// eventually fails the test if cond is still false after a generous
// deadline; it bounds a hung test and measures nothing.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, time.Minute, what, cond)
}

// eventuallyWithin is eventually with a longer bound, for waits that take
// long under the race detector.
func eventuallyWithin(t *testing.T, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
