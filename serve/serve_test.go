package serve_test

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/serve"
)

func TestOnlyAuthorizedKeysGetIn(t *testing.T) {
	f := start(t, 0)
	if _, err := f.dial(f.stranger, "mallory"); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("a key in neither file: err = %v, want an authentication failure", err)
	}
	for name, key := range map[string]gossh.Signer{"a viewer": f.viewer, "an operator": f.operator} {
		c, err := f.dial(key, "x")
		if err != nil {
			t.Errorf("%s was refused: %v", name, err)
			continue
		}
		c.Close()
	}
}

func TestTheHostKeyIsKeptPrivateAndReused(t *testing.T) {
	f := start(t, 0)
	path := filepath.Join(f.dir, "state", "ssh_host_ed25519_key")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("host key mode = %v, want 0600", st.Mode().Perm())
	}
	before, _ := os.ReadFile(path)
	if _, err := serve.New(serve.Config{Engine: f.engine, HostKey: path, AuthorizedKeys: filepath.Join(f.dir, "authorized_keys")}); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a second start replaced the host key")
	}
}

func TestAnIdleSessionIsClosedAndLeaves(t *testing.T) {
	f := startWith(t, 0, 10*time.Millisecond, time.Minute, func(c *serve.Config) { c.IdleTimeout = 200 * time.Millisecond })
	v := f.open(t, f.viewer, 80, 24, false)
	eventually(t, "the idle session to be closed", v.closed.Load)
	eventually(t, "vera's leave", func() bool { return len(f.engine.Snapshot().Viewers) == 0 })
}

func TestMissingKeyFilesStopTheStart(t *testing.T) {
	dir := t.TempDir()
	_, err := serve.New(serve.Config{Engine: monitor.New(monitor.Config{}), HostKey: filepath.Join(dir, "k"), AuthorizedKeys: filepath.Join(dir, "nope")})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v, want the missing file named", err)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("ssh-ed25519 notakey vera\n"), 0o600)
	_, err = serve.New(serve.Config{Engine: monitor.New(monitor.Config{}), HostKey: filepath.Join(dir, "k"), AuthorizedKeys: bad})
	if err == nil || !strings.Contains(err.Error(), bad+":1") {
		t.Errorf("err = %v, want the bad line named", err)
	}
}

func TestTwoViewersWithDifferentSizesBothGetFramesAndAreListed(t *testing.T) {
	f := start(t, 0)
	small := f.open(t, f.viewer, 80, 24, false)
	large := f.open(t, f.operator, 160, 48, false)
	for _, v := range []*viewer{small, large} {
		eventually(t, "a frame with the alert on it", func() bool { return strings.Contains(v.output(), "t-high") })
	}
	eventually(t, "both viewers listed", func() bool {
		return slices.Equal(f.engine.Snapshot().Viewers, []string{"olga", "vera"})
	})
	small.sess.Close()
	small.client.Close()
	eventually(t, "vera's leave on the timeline", func() bool {
		for _, ev := range f.engine.Snapshot().Timeline {
			if ev.Kind == monitor.EventViewer && ev.Subject == "vera" && ev.State == "left" {
				return true
			}
		}
		return false
	})
	if got := f.engine.Snapshot().Viewers; !slices.Equal(got, []string{"olga"}) {
		t.Errorf("viewers after vera left = %q", got)
	}
}

func acks(s *monitor.Snapshot) []monitor.Event {
	var out []monitor.Event
	for _, ev := range s.Timeline {
		if ev.Kind == monitor.EventAck {
			out = append(out, ev)
		}
	}
	return out
}

func TestReadOnlyViewersCannotAckAndOperatorsCan(t *testing.T) {
	f := start(t, 0)
	ro := f.open(t, f.viewer, 100, 30, false)
	op := f.open(t, f.operator, 100, 30, false)
	for _, v := range []*viewer{ro, op} {
		eventually(t, "the firing alert on screen", func() bool { return strings.Contains(v.output(), "t-high") })
	}
	ro.stdin.Write([]byte("a"))
	// The dashboard answers the key, so it has handled it.
	eventually(t, "the read-only answer", func() bool { return strings.Contains(ro.output(), "read-only viewer") })
	if got := acks(f.engine.Snapshot()); len(got) != 0 {
		t.Fatalf("a read-only viewer acked: %+v", got)
	}
	op.stdin.Write([]byte("a"))
	eventually(t, "the operator's ack on the timeline", func() bool { return len(acks(f.engine.Snapshot())) > 0 })
	if got := acks(f.engine.Snapshot()); len(got) != 1 || got[0].Who != "olga" || got[0].Rule != "t-high" {
		t.Errorf("acks = %+v, want one by olga of t-high", got)
	}
}

func TestASessionBeyondTheLimitIsToldWhy(t *testing.T) {
	f := start(t, 1)
	first := f.open(t, f.viewer, 80, 24, false)
	eventually(t, "the first session's frame", func() bool { return strings.Contains(first.output(), "t-high") })
	c, err := f.dial(f.viewer, "late")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sess.RequestPty("xterm", 24, 80, nil)
	out, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out)
	if !strings.Contains(string(b), "1 viewers are already watching") {
		t.Errorf("refused session said %q", b)
	}
}
