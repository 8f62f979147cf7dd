package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServeStopsWithTwoViewersAttachedThroughSSH: the real binary serves
// the demo, two people attach with the real OpenSSH client in tmux panes
// of 120 columns, and Ctrl-C on the server says goodbye to both, gives
// both their terminals back (no alternate screen, cursor visible) and
// exits 0 with no error logged.
func TestServeStopsWithTwoViewersAttachedThroughSSH(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("the OpenSSH client is not installed (apt-get install openssh-client); .ci/run installs it so CI never skips this")
	}
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen is not installed (apt-get install openssh-client)")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	key := func(name, comment string) (string, string) {
		path := filepath.Join(dir, name)
		if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(path + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		return path, string(pub)
	}
	vera, veraPub := key("vera", "vera")
	olga, olgaPub := key("olga", "olga")
	keys, ops := filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "operators")
	os.WriteFile(keys, []byte(veraPub), 0o600)
	os.WriteFile(ops, []byte(olgaPub), 0o600)
	port := freePort(t)
	logFile := filepath.Join(dir, "serve.log")

	s := startTmux(t, 120, 40, bin+" serve --log "+logFile+" --listen 127.0.0.1:"+port+" --authorized-keys "+keys+
		" --operators "+ops+" --host-key "+filepath.Join(dir, "host_key")+" 2>&1")
	s.waitFor("serving the dashboard")
	viewer := func(name, keyFile string) string {
		raw := filepath.Join(dir, name+".raw")
		s.tmux("new-window", "-d", "-n", name, "sleep 0.3; "+sshBin+" -tt -p "+port+" -i "+keyFile+
			" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "+name+"@127.0.0.1; echo VIEWER-EXITED:$?; sleep 30")
		s.tmux("pipe-pane", "-o", "-t", "e2e:"+name, "cat >> "+raw)
		return raw
	}
	rawVera := viewer("vera", vera)
	waitPane(t, s, "e2e:vera", "watching: vera")
	rawOlga := viewer("olga", olga)
	// A second viewer at 120 columns: both still see who is watching.
	for _, w := range []string{"e2e:vera", "e2e:olga"} {
		waitPane(t, s, w, "watching: olga, vera")
	}
	// The read-only viewer is not offered what it may not do; the
	// operator is.
	if footer := lastPaneLine(pane(s, "e2e:vera")); strings.Contains(footer, "a ack") || strings.Contains(footer, "s silence") {
		t.Errorf("the read-only viewer's footer offers ack/silence: %q", footer)
	}
	if footer := lastPaneLine(pane(s, "e2e:olga")); !strings.Contains(footer, "a ack") {
		t.Errorf("the operator's footer does not offer ack: %q", footer)
	}

	s.tmux("send-keys", "-t", "e2e:0", "C-c")
	server := s.waitFor("EXITED:")
	if !strings.Contains(server, "EXITED:0") || strings.Contains(server, "ERROR") || strings.Contains(server, "error") {
		t.Errorf("serve did not stop cleanly:\n%s", server)
	}
	// Who watched and who could act is in the log file too, not only on
	// the terminal serve ran in, which is often gone by the postmortem.
	logged, _ := os.ReadFile(logFile)
	for _, want := range []string{"vera joined as viewer", "olga joined as operator", "vera left"} {
		if !strings.Contains(string(logged), want) {
			t.Errorf("the log file does not say %q:\n%s", want, logged)
		}
	}
	for _, v := range []struct{ target, raw string }{{"e2e:vera", rawVera}, {"e2e:olga", rawOlga}} {
		scr := waitPane(t, s, v.target, "VIEWER-EXITED:")
		if !strings.Contains(scr, "stormwatch serve is stopping") || !strings.Contains(scr, "VIEWER-EXITED:0") {
			t.Errorf("%s was not told, or ssh did not exit 0:\n%s", v.target, scr)
		}
		if got := strings.TrimSpace(s.tmux("display-message", "-p", "-t", v.target, "#{alternate_on} #{cursor_flag}")); got != "0 1" {
			t.Errorf("%s: alternate screen, cursor visible = %q, want \"0 1\"", v.target, got)
		}
		raw, _ := os.ReadFile(v.raw)
		if ok, why := restoredBytes(string(raw)); !ok {
			t.Errorf("%s: %s (raw bytes from pipe-pane)", v.target, why)
		}
	}
}

func pane(s *tmuxSession, target string) string {
	return s.tmux("capture-pane", "-p", "-t", target)
}

func waitPane(t *testing.T, s *tmuxSession, target, want string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		if scr = pane(s, target); strings.Contains(scr, want) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never showed %q; last screen:\n%s", target, want, scr)
	return ""
}

// restoredBytes: the last alternate-screen switch leaves it, and the last
// cursor change shows the cursor.
func restoredBytes(out string) (bool, string) {
	if !strings.Contains(out, "\x1b[?1049h") {
		return false, "never saw the dashboard enter the alternate screen"
	}
	if strings.LastIndex(out, "\x1b[?1049h") > strings.LastIndex(out, "\x1b[?1049l") {
		return false, "still in the alternate screen"
	}
	if strings.LastIndex(out, "\x1b[?25l") > strings.LastIndex(out, "\x1b[?25h") {
		return false, "cursor still hidden"
	}
	return true, ""
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func lastPaneLine(scr string) string {
	lines := strings.Split(strings.TrimRight(scr, "\n "), "\n")
	return lines[len(lines)-1]
}
