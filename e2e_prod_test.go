package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources/demo"
)

// TestAConfiguredDashboardPollsRealSourcesAndShowsAnOutage runs the binary
// the way a user with a config file does: a MongoDB replica set (the URI in
// an environment variable) and a CloudWatch endpoint, here the demo's
// scripted servers on loopback, polled by the production sources. Then it
// stops the database and expects the DB source to say so with a reason, and
// to recover by itself when the database comes back.
func TestAConfiguredDashboardPollsRealSourcesAndShowsAnOutage(t *testing.T) {
	bin := buildBinary(t)
	b, err := demo.StartBackend(func() time.Time { return time.Now().UTC() }, time.After)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := t.TempDir()
	cfg := `version: 1
sources:
  mongo:
    - name: db
      uri_env: SW_TEST_MONGODB_URI
      interval: 1s
  cloudwatch:
    - region: us-east-1
      endpoint: ` + b.CloudWatchEndpoint + `
      interval: 1s
      alarms: [` + demo.AlarmName + `]
      metrics:
        - series: main.cpu
          namespace: ` + demo.CloudWatchNamespace + `
          metric: CPUUtilization
          dimensions: {InstanceId: ` + demo.MainInstance + `}
          stat: Average
          period: 1s
`
	path := filepath.Join(dir, "stormwatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := "SW_TEST_MONGODB_URI='" + b.MongoURI + "' AWS_ACCESS_KEY_ID=AKIATESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_EC2_METADATA_DISABLED=true "
	s := startTmux(t, 120, 40, env+bin+" --config "+path)
	scr := s.waitFor("API server CPU", "DB server CPU", "● db ok", "● aws ok")
	if strings.Contains(scr, "DEMO") {
		t.Fatalf("a configured run must not be labelled DEMO:\n%s", scr)
	}
	rs := b.ReplicaSet()
	for i := 0; i < rs.Len(); i++ {
		rs.Member(i).Stop()
	}
	s.waitFor("db error: ")
	for i := 0; i < rs.Len(); i++ {
		if err := rs.Member(i).Start(); err != nil {
			t.Fatal(err)
		}
	}
	s.waitFor("● db ok")
	s.tmux("send-keys", "-t", s.name, "q")
	s.waitFor("EXITED:0")
}
