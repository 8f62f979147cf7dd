package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// Canaries: secrets no output may ever contain.
const (
	canaryPassword = "CanaryPw7Xq2Zr"
	canaryAWSKey   = "CanarySecret9q8w7e6r5t4y3u2i1o0pLk"
)

// TestNoSecretInAnyOutput runs the real binary in tmux against a MongoDB
// that rejects the password in its URI, a second one that is unreachable
// (both URIs in environment variables named by uri_env), and a CloudWatch
// endpoint that answers the static AWS keys from the environment with
// ExpiredToken and AccessDenied before it recovers. An alert fires and its
// hook fails, so the hook log has lines; the run is recorded. Then no
// rendered frame, terminal byte, stderr line, state file (timeline, hook
// log, the debug-level stormwatch.log, crash report), recording or
// timeline export may contain the password or the secret key.
func TestNoSecretInAnyOutput(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux); .ci/run installs it so CI never skips this")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	state, config := filepath.Join(dir, "state"), filepath.Join(dir, "config")

	authFails, err := mongoserver.New(func(cmd string, body bson.Raw) (bson.D, error) { return nil, mongoserver.ErrAuthFailed })
	if err != nil {
		t.Fatal(err)
	}
	defer authFails.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()

	cw := cwserver.New(cwserver.Logger(t.Logf))
	defer cw.Close()
	cw.AddMetric(cwserver.Metric{Namespace: "Demo/API", MetricName: "CPU", Dimensions: map[string]string{"InstanceId": "i-1"},
		Resolution: time.Second, Value: func(time.Time) (float64, bool) { return 50, true }})
	cw.Inject("GetMetricData", cwserver.ExpiredToken(), cwserver.AccessDenied("GetMetricData"))
	cw.Inject("DescribeAlarms", cwserver.AccessDenied("DescribeAlarms"))

	cfg := filepath.Join(dir, "stormwatch.yaml")
	writeFile(t, cfg, `version: 1
sources:
  mongo:
    - name: db
      uri_env: CANARY_MONGO_URI
      interval: 1s
    - name: db2
      uri_env: CANARY_MONGO_URI_DOWN
      interval: 1s
  cloudwatch:
    - name: aws
      region: us-east-1
      endpoint: `+cw.URL+`
      alarm_prefix: prod-
      metrics:
        - series: main.cpu
          namespace: Demo/API
          metric: CPU
          dimensions: {InstanceId: i-1}
          period: 1s
alerts:
  rules:
    - name: canary-cpu
      series: main.cpu
      op: ">"
      threshold: 10
      severity: critical
  hooks:
    - name: failing
      command: ["sh", "-c", "cat; echo hook ran with $STORMWATCH_RULE; exit 3"]
`)
	env := []string{
		"TERM=xterm-256color", "XDG_STATE_HOME=" + state, "XDG_CONFIG_HOME=" + config,
		"CANARY_MONGO_URI=mongodb://stormwatch:" + canaryPassword + "@" + authFails.Addr() + "/?directConnection=true",
		"CANARY_MONGO_URI_DOWN=mongodb://stormwatch:" + canaryPassword + "@" + closed + "/admin?directConnection=true&connectTimeoutMS=300",
		"AWS_ACCESS_KEY_ID=AKIACANARYEXAMPLE", "AWS_SECRET_ACCESS_KEY=" + canaryAWSKey, "AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent", "AWS_EC2_METADATA_DISABLED=true",
	}
	s := &tmuxSession{t: t, socket: "stormwatch-secrets-" + filepath.Base(dir), name: "secrets"}
	stderr, raw := filepath.Join(dir, "stderr.txt"), filepath.Join(dir, "terminal.raw")
	var quoted []string
	for _, kv := range env {
		quoted = append(quoted, "'"+kv+"'")
	}
	command := "env -u NO_COLOR " + strings.Join(quoted, " ") + " " + bin + " --log-level debug --config " + cfg +
		" --record " + filepath.Join(state, "run.jsonl") + " 2>" + stderr + "; echo EXITED:$?; sleep 30"
	s.tmux("new-session", "-d", "-x", "200", "-y", "50", "-s", s.name, command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	s.tmux("pipe-pane", "-t", s.name, "-o", "cat > "+raw)

	// Every screen until each failure has been on it and the alert fired.
	var screens []string
	seen := map[string]bool{}
	wants := []string{"db error", "db2 error", "aws error", "canary-cpu"}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && len(seen) < len(wants) {
		scr := s.screen()
		screens = append(screens, scr)
		for _, w := range wants {
			if strings.Contains(scr, w) {
				seen[w] = true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, w := range wants {
		if !seen[w] {
			t.Errorf("never saw %q on screen; last:\n%s", w, screens[len(screens)-1])
		}
	}
	time.Sleep(time.Second) // let the hook run and fail
	s.tmux("send-keys", "-t", s.name, "q")
	s.waitFor("EXITED:")

	export := exec.Command(bin, "timeline", "export")
	export.Env = append(os.Environ(), env...)
	exported, _ := export.CombinedOutput()

	outputs := map[string]string{"timeline export": string(exported), "screens": strings.Join(screens, "\n")}
	for _, path := range []string{stderr, raw} {
		data, _ := os.ReadFile(path)
		outputs[filepath.Base(path)] = string(data)
	}
	filepath.Walk(state, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			data, _ := os.ReadFile(path)
			outputs[strings.TrimPrefix(path, dir)] = string(data)
		}
		return nil
	})
	for name, text := range outputs {
		for _, c := range []string{canaryPassword, canaryAWSKey} {
			if i := strings.Index(text, c); i >= 0 {
				t.Errorf("%s contains a secret: …%s…", name, text[max(0, i-80):min(len(text), i+40)])
			}
		}
		t.Logf("%-40s %7d bytes, clean", name, len(text))
	}
	if !t.Failed() {
		for _, scr := range screens {
			if strings.Contains(scr, "db error") && strings.Contains(scr, "aws error") {
				lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
				t.Logf("a status line with the failures:\n%s", lines[len(lines)-2])
				break
			}
		}
		t.Logf("stderr:\n%s\nhooks.log:\n%s", outputs["stderr.txt"], outputs["/state/stormwatch/hooks.log"])
	}
	for _, must := range []string{"hooks.log", "run.jsonl", ".jsonl", "stormwatch.log"} {
		if !hasSuffixKey(outputs, must) {
			t.Errorf("no %s was written, so it was not checked: %v", must, keys(outputs))
		}
	}
	// The log (debug: every poll) saw the failures it must not leak, and
	// none of it reached the terminal.
	log := outputs["/state/stormwatch/stormwatch.log"]
	for _, want := range []string{`msg="source failing" source=db`, `msg="source failing" source=aws`, "msg=poll source=db2"} {
		if !strings.Contains(log, want) {
			t.Errorf("stormwatch.log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(outputs["stderr.txt"], "level=") || strings.Contains(outputs["terminal.raw"], "level=INFO") {
		t.Error("log lines reached the terminal")
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func hasSuffixKey(m map[string]string, suffix string) bool {
	for k := range m {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
