package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession runs the real binary in a detached tmux pane of the given
// size, the way a person would, and reads the screen back.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stormwatch")
	// Built as the release builds it (.goreleaser.yml: CGO_ENABLED=0,
	// -trimpath), so the tests drive the binary people download, and CI's
	// vet, this build and the release snapshot share one compile.
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startTmux(t *testing.T, w, h int, command string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux); .ci/run installs it so CI never skips this")
	}
	s := &tmuxSession{t: t, socket: "stormwatch-e2e-" + filepath.Base(filepath.Dir(t.TempDir())), name: "e2e"}
	env := "env -u NO_COLOR TERM=xterm-256color XDG_CONFIG_HOME=" + t.TempDir() + " XDG_STATE_HOME=" + t.TempDir() + " "
	s.tmux("new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "-s", s.name, env+command+"; echo EXITED:$?; sleep 30")
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// waitFor polls the screen until every want string is on it. The deadline
// only bounds a broken run; nothing asserts on how fast it appeared.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q; last screen:\n%s", want, scr)
	return ""
}

func TestDemoInTmuxShowsBothGraphsFiresAndQuitsCleanly(t *testing.T) {
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin+" demo --speed 10")
	scr := s.waitFor("DEMO", "API server CPU", "DB server CPU")
	// Side by side at 120 columns: both titles on one line.
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "API server CPU") && !strings.Contains(line, "DB server CPU") {
			t.Errorf("graphs are not side by side at 120 columns:\n%s", scr)
			break
		}
	}
	s.waitFor("FIRING", "db-cpu-high")
	s.tmux("send-keys", "-t", s.name, "q")
	s.waitFor("EXITED:0")
}

func TestMissingConfigFileIsAClearErrorNotADemo(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "--config", filepath.Join(t.TempDir(), "nope.yaml")).CombinedOutput()
	if err == nil {
		t.Fatalf("exit 0 with a missing config:\n%s", out)
	}
	if !strings.Contains(string(out), "nope.yaml: file does not exist") || strings.Count(strings.TrimSpace(string(out)), "\n") > 1 {
		t.Fatalf("unclear error:\n%s", out)
	}
}

func TestInvalidConfigNamesFileLineAndKey(t *testing.T) {
	bin := buildBinary(t)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("ui:\n  colour: never\n"), 0o600)
	out, err := exec.Command(bin, "--config", path).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "bad.yaml:2: ui.colour: unknown key") {
		t.Fatalf("got %v:\n%s", err, out)
	}
}

func TestVersion(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "stormwatch ") {
		t.Fatalf("%v: %s", err, out)
	}
}
