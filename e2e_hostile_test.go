package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/text/texttest"
)

// hostileBackends serves the hostile-input corpus through the real
// protocols: the demo's scripted mongod answers $currentOp and top with
// corpus app names and namespaces, and a CloudWatch test server lists one
// alarm per corpus entry (name and reason). It returns the config that
// points the real binary at them and the environment it needs.
func hostileBackends(t *testing.T, dir string) (cfgPath, env string) {
	t.Helper()
	b, err := demo.StartBackend(func() time.Time { return time.Now().UTC() }, time.After)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	corpus := texttest.Corpus()
	names := map[string]string{}
	for i, story := range []string{"api-main", "webview", "server-c"} {
		names[story] = corpus[[]int{0, 12, 2}[i]].Text // the CR, the long name, OSC 8
	}
	for i, ns := range []string{"app.orders", "app.sessions", "app.users", "cctv.cameras", "cctv.events"} {
		names[ns] = "db." + corpus[5+i].Text
	}
	b.Rename(func(s string) string {
		if n, ok := names[s]; ok {
			return n
		}
		return s
	})
	cw := cwserver.New(t)
	cw.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: map[string]string{"InstanceId": "i-0aaaaaaaaaaaaaaa1"},
		Resolution: time.Minute, Value: func(time.Time) (float64, bool) { return 40, true }})
	var alarms []cwserver.Alarm
	for _, e := range corpus {
		alarms = append(alarms, cwserver.Alarm{Name: "api-" + e.Text, State: "ALARM", Reason: "because " + e.Text, Updated: time.Now().Add(-time.Minute)})
	}
	cw.SetAlarms(alarms...)
	cfg := `version: 1
sources:
  mongo:
    - name: db
      uri_env: SW_TEST_MONGODB_URI
      interval: 1s
  cloudwatch:
    - region: us-east-1
      endpoint: ` + cw.URL + `
      main: {instance: i-0aaaaaaaaaaaaaaa1}
      alarm_prefix: api-
alerts:
  rules:
    - name: db-busy
      series: db.cpu
      op: ">"
      threshold: 0
      datapoints: 1 of 1
      severity: warning
`
	cfgPath = filepath.Join(dir, "stormwatch.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env = "SW_TEST_MONGODB_URI='" + b.MongoURI + "' AWS_ACCESS_KEY_ID=AKIATESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_EC2_METADATA_DISABLED=true " +
		"XDG_STATE_HOME=" + filepath.Join(dir, "state") + " "
	return cfgPath, env
}

// noLeaks fails the test for every corpus control sequence in out.
func noLeaks(t *testing.T, what string, out []byte, long bool) {
	t.Helper()
	if len(out) == 0 {
		t.Errorf("%s: nothing was written", what)
	}
	for _, e := range texttest.Leaks(out, long) {
		t.Errorf("%s carries %s raw: %q", what, e.Class, e.Raw)
	}
}

// numbersKept: every top-clients row on screen ends in its share, the
// long-named one included.
var topClientRow = regexp.MustCompile(`\d+ +\d+ +\S+ +\d+%\s*$`)

// TestHostileNamesReachNoTerminalAndNoFile is issue 14's "done when": the
// corpus, served by the scripted MongoDB and CloudWatch servers and read by
// the real sources in the real binary, shows as visible escapes in a tmux
// pane (raw bytes from pipe-pane), the export, the JSONL timeline and the
// recording, none of which carries a control sequence from it; the long
// name is cut and the numeric columns stay on screen.
func TestHostileNamesReachNoTerminalAndNoFile(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg, env := hostileBackends(t, dir)
	rec, raw := filepath.Join(dir, "rec.jsonl"), filepath.Join(dir, "pane.raw")
	s := startTmux(t, 120, 40, env+bin+" --config "+cfg+" --record "+rec)
	s.tmux("pipe-pane", "-o", "-t", s.name, "cat >> "+raw)
	scr := s.waitFor(`[CW] api-alarm-ta\r✔ OK`, `alarm-ta\r✔ OK`, "LONG-NA", "top clients")
	scr = s.waitFor(`COLLSCAN`, `db.nimda\u2`) // a slow op on a hostile namespace by a hostile app
	for _, line := range strings.Split(scr, "\n") {
		i := strings.LastIndex(line, "│")
		if i < 0 {
			continue
		}
		if right := line[i:]; strings.Contains(right, "LONG-NA") && !topClientRow.MatchString(right) {
			t.Errorf("the long-named client lost its numbers: %q\n%s", line, scr)
		}
	}
	s.tmux("send-keys", "-t", s.name, "q")
	s.waitFor("EXITED:0")
	paneBytes, _ := os.ReadFile(raw)
	noLeaks(t, "the pane (pipe-pane)", paneBytes, true)

	recBytes, _ := os.ReadFile(rec)
	noLeaks(t, "the recording", recBytes, false)
	if !bytes.Contains(recBytes, []byte(`alarm-ta\\r`)) {
		t.Errorf("the recording does not hold the alarm's escaped name")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "state", "stormwatch", "timeline-*.jsonl"))
	if len(files) == 0 {
		t.Fatal("no timeline file")
	}
	tl, _ := os.ReadFile(files[0])
	noLeaks(t, "the JSONL timeline", tl, false)
	md, err := exec.Command(bin, "timeline", "export", "--file", files[0]).CombinedOutput()
	if err != nil {
		t.Fatalf("export: %v\n%s", err, md)
	}
	noLeaks(t, "the Markdown export", md, false)
	if !bytes.Contains(md, []byte(`alarm-ta\r`)) {
		t.Errorf("the export does not show the alarm's escaped name:\n%s", md)
	}
}

// TestHostileNamesAndUserNamesReachNoSSHViewer: the same corpus over
// serve, to a viewer logged in through a real SSH client with a key that
// has no comment and a user name that tries to forge a line.
func TestHostileNamesAndUserNamesReachNoSSHViewer(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg, env := hostileBackends(t, dir)
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600) // no comment: the user name is shown
	port := freePort(t)
	s := startTmux(t, 120, 40, env+bin+" serve --config "+cfg+" --listen 127.0.0.1:"+port+" --authorized-keys "+keys+
		" --operators "+keys+" --host-key "+filepath.Join(dir, "host_key")+" 2>&1")
	s.waitFor("serving the dashboard")
	user := "mallory\r\nFAKEUSER joined\x1b]0;pwned\x07"
	c, err := gossh.Dial("tcp", "127.0.0.1:"+port, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdout, _ := sess.StdoutPipe()
	stdin, _ := sess.StdinPipe() // kept open: a closed stdin ends the session
	defer stdin.Close()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := stdout.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	stream := func() []byte { mu.Lock(); defer mu.Unlock(); return bytes.Clone(out.Bytes()) }
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(ansi.Strip(string(stream())), `alarm-ta\r✔ OK`) || !strings.Contains(ansi.Strip(string(stream())), `mallory\r\nFAKEUSER`) {
		if time.Now().After(deadline) {
			t.Fatalf("the viewer never showed the escaped alarm name and user; stream tail:\n%q\nserver:\n%s", tail(string(stream()), 3000), s.screen())
		}
		time.Sleep(200 * time.Millisecond)
	}
	noLeaks(t, "the SSH viewer's stream", stream(), true)
	if bytes.Contains(stream(), []byte("\nFAKEUSER")) || bytes.Contains(stream(), []byte("\x1b]0;pwned")) {
		t.Error("the user name reached the viewer raw")
	}
	serverLog := s.screen()
	if strings.Contains(serverLog, "\nFAKEUSER") || !strings.Contains(serverLog, `mallory\r\nFAKEUSER`) {
		t.Errorf("serve's log shows the user name raw or not at all:\n%s", serverLog)
	}
	s.tmux("send-keys", "-t", s.name, "C-c")
	s.waitFor("EXITED:")
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprint("…", s[len(s)-n:])
}
