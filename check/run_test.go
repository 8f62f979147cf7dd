package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/record"
)

// writeConfig writes a config file and loads it as the CLI does.
func writeConfig(t *testing.T, yaml string) Options {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stormwatch.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	return Options{Path: path, Tried: []string{path}, Config: cfg, ConfigErr: err}
}

var aTerminal = Terminal{IsTerminal: true, Profile: "ANSI256", Lang: "en_GB.UTF-8", Width: 160, Height: 48}

func runAll(t *testing.T, o Options) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Run(ctx, o)
}

// A production config with one MongoDB replica set and one AWS account,
// everything permitted except DescribeAlarms: the whole checklist as
// people read it, and as scripts read it.
func TestTheWholeChecklist(t *testing.T) {
	r := newAWSRig(t)
	r.sts.identity()
	r.cw.Inject("DescribeAlarms", cwserver.AccessDenied("DescribeAlarms"))
	m, addrs := target(t, replicaSet, &script{version: "7.0.12", user: "stormwatch", roles: monitorRoles})
	o := writeConfig(t, `version: 1
sources:
  mongo:
    - name: db
      uri_env: MONGODB_URI
  cloudwatch:
    - region: eu-west-1
      main: {instance: i-0123456789abcdef0}
      alarm_prefix: prod-
`)
	if o.ConfigErr != nil {
		t.Fatal(o.ConfigErr)
	}
	o.Getenv = func(k string) string {
		if k == "MONGODB_URI" {
			return m.URI
		}
		return ""
	}
	o.AWS = func(a *AWS) {
		a.Endpoint, a.STSEndpoint, a.Now = r.cw.URL, r.sts.URL, r.a.Now
		a.Credentials = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRET", "")
	}
	o.Terminal = aTerminal
	got := runAll(t, o)
	if s := statuses(got); s != "pass pass pass fail skip pass pass pass pass pass pass pass skip skip pass skip skip pass pass pass" {
		t.Errorf("statuses %q\n%+v", s, got)
	}
	for k, v := range r.addrs() {
		addrs[k] = v
	}
	addrs[o.Path] = "stormwatch.yaml"
	t.Run("text", func(t *testing.T) { goldenText(t, "stormwatch check: "+o.Path, got, addrs) })
	t.Run("json", func(t *testing.T) { goldenJSON(t, got, addrs) })
}

func TestWithNoConfigTheDemoIsCheckedAndAllGreen(t *testing.T) {
	got := runAll(t, Options{Tried: []string{"/home/ana/.config/stormwatch/config.yaml", "stormwatch.yaml"}, Terminal: aTerminal})
	if !OK(got) || statuses(got) != "pass pass pass pass pass" {
		t.Errorf("statuses %q\n%+v", statuses(got), got)
	}
	// The golden file must not change whenever the demo is re-recorded.
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	got[1] = Demo(func() (*record.Recording, error) {
		return &record.Recording{Header: record.Header{Started: start},
			Events: []monitor.Event{{At: start.Add(3 * time.Minute)}}}, nil
	})
	goldenText(t, "stormwatch check: no config file, so the built-in demo", got, nil)
}

func TestAConfigWithoutSourcesChecksTheDemo(t *testing.T) {
	o := writeConfig(t, "ui:\n  ascii: true\n")
	o.Terminal = Terminal{IsTerminal: true, Profile: "Ascii", Lang: "C", Width: 80, Height: 24}
	got := runAll(t, o)
	if s := statuses(got); s != "pass pass pass pass pass" {
		t.Errorf("statuses %q\n%+v", s, got)
	}
	if !strings.Contains(got[3].Detail, "ui.ascii") {
		t.Errorf("a C locale with ui.ascii on should pass and say why: %+v", got[3])
	}
}

func TestAnInvalidConfigFailsWithEveryProblem(t *testing.T) {
	o := writeConfig(t, "ui:\n  colour: auto\nalerts:\n  rules:\n    - name: x\n      series: db.cpu\n      op: \">\"\n")
	got := runAll(t, o)
	if got[0].Status != Fail || !strings.Contains(got[0].Fix, ":2: ui.colour") || !strings.Contains(got[0].Fix, "threshold") {
		t.Errorf("config line %+v", got[0])
	}
	if len(got) != 4 { // config, then only the terminal lines
		t.Errorf("%d lines after an invalid config: %+v", len(got), got)
	}
	goldenJSON(t, got, map[string]string{o.Path: "stormwatch.yaml"})
}

func TestADamagedDemoRecordingFails(t *testing.T) {
	got := Demo(func() (*record.Recording, error) { return nil, errors.New("gzip: invalid header") })
	if got.Status != Fail || !strings.Contains(got.Fix, "checksums.txt") {
		t.Errorf("%+v", got)
	}
}

func TestAtlasMigrationNeedsAMongoSource(t *testing.T) {
	ctx := context.Background()
	got := RunAtlas(ctx, Options{Tried: []string{"stormwatch.yaml"}})
	if s := statuses(got); s != "pass fail" {
		t.Errorf("statuses %q\n%+v", s, got)
	}
	m, _ := target(t, replicaSet, &script{version: "7.0.12", user: "migrator", roles: []string{"root"}})
	o := writeConfig(t, "sources:\n  mongo:\n    - uri_env: SOURCE_URI\n")
	o.Getenv = func(string) string { return m.URI }
	got = RunAtlas(ctx, o)
	if s := statuses(got); s != "pass pass pass pass pass pass" {
		t.Errorf("statuses %q\n%+v", s, got)
	}
}

func TestAWSTargetsReadTheFirstPlainMetric(t *testing.T) {
	o := writeConfig(t, `sources:
  cloudwatch:
    - name: prod
      region: eu-west-1
      profile: prod
      alarms: [a, b]
      metrics:
        - series: main.errors
          expression: "SEARCH('{AWS/ApplicationELB} HTTPCode_Target_5XX_Count', 'Sum', 60)"
        - series: main.requests
          namespace: AWS/ApplicationELB
          metric: RequestCount
          stat: Sum
`)
	if o.ConfigErr != nil {
		t.Fatal(o.ConfigErr)
	}
	got := AWSTargets(o.Config, "us-east-1", "")
	if len(got) != 1 || got[0].Region != "us-east-1" || got[0].Profile != "prod" || got[0].Source != "prod" ||
		got[0].Metric == nil || got[0].Metric.Series != "main.requests" || len(got[0].AlarmNames) != 2 {
		t.Errorf("%+v", got)
	}
}

func TestInstancesNamedByTagAreCheckedWithDescribeInstances(t *testing.T) {
	o := writeConfig(t, "sources:\n  cloudwatch:\n    - region: eu-west-1\n      main: {name_tag: api-main}\n      db: {instance: i-0db}\n")
	if o.ConfigErr != nil {
		t.Fatal(o.ConfigErr)
	}
	as := AWSTargets(o.Config, "", "")
	if len(as) != 1 {
		t.Fatalf("%d targets", len(as))
	}
	a := as[0]
	if len(a.NameTags) != 1 || a.NameTags[0] != (NameTag{Series: "main.cpu", Key: "main", Tag: "api-main"}) {
		t.Errorf("name tags %+v", a.NameTags)
	}
	if a.Metric == nil || a.Metric.Dimensions["InstanceId"] != "i-0db" {
		t.Errorf("metric %+v, want db's, the one known by id", a.Metric)
	}
}
