package config

import (
	"errors"
	"strings"
	"testing"
)

const good = `version: 1
ui:
  range: 15m
sources:
  mongo:
    - name: db
      uri_env: MONGODB_URI
      interval: 1s
      timeout: 800ms
  cloudwatch:
    - region: eu-west-1
      main: {instance: i-0abc123}
      db: {instance: i-0def456}
      metrics:
        - series: main.requests
          namespace: AWS/ApplicationELB
          metric: RequestCount
          dimensions: {LoadBalancer: app/api/123}
          stat: Sum
          period: 60s
alerts:
  bell: critical
  rules:
    - name: db-cpu-high
      series: db.cpu
      op: ">"
      threshold: 85
      datapoints: 2 of 3
      severity: critical
    - name: main-cpu-elevated
      disabled: true
    - name: requests-spike
      series: main.requests
      op: ">"
      threshold: 5000
`

func TestParseAcceptsAFullConfig(t *testing.T) {
	cfg, err := Parse("stormwatch.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	rules := cfg.Rules()
	byName := map[string]int{}
	for i, r := range rules {
		byName[r.Name] = i
	}
	if r := rules[byName["db-cpu-high"]]; r.Threshold != 85 || r.M != 2 || r.N != 3 {
		t.Errorf("override not applied: %+v", r)
	}
	if _, ok := byName["main-cpu-elevated"]; ok {
		t.Error("disabled default rule still present")
	}
	if _, ok := byName["requests-spike"]; !ok {
		t.Error("new rule missing")
	}
	if _, ok := byName["db-queued-ops"]; !ok {
		t.Error("untouched default rule missing")
	}
}

func TestParseReportsEveryProblemWithFileLineAndKey(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"an unknown key", "ui:\n  colour: never\n", []string{"stormwatch.yaml:2: ui.colour: unknown key \"colour\""}},
		{"a wrong type", "ui:\n  range: soon\n", []string{"stormwatch.yaml:2: ui.range: \"soon\" is not a duration"}},
		{"a range longer than what is kept", "ui:\n  range: 400h\n", []string{"stormwatch.yaml:2: ui.range: 400h is longer than the 24h of history stormwatch keeps"}},
		{"a bad enum", "alerts:\n  bell: loud\n", []string{"stormwatch.yaml:2: alerts.bell: \"loud\": use one of off, critical, all"}},
		{"a password in the file", "sources:\n  mongo:\n    - uri: mongodb://u:hunter2@db:27017\n", []string{"stormwatch.yaml:3: sources.mongo[0].uri: holds a password"}},
		{"an AWS session token in the options", "sources:\n  mongo:\n    - uri: mongodb://db:27017/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:hunter2\n",
			[]string{"stormwatch.yaml:3: sources.mongo[0].uri: option authMechanismProperties carries a credential"}},
		{"a key file password in the options", "sources:\n  mongo:\n    - uri: mongodb://db:27017/?tls=true&tlsCertificateKeyFilePassword=hunter2\n",
			[]string{"stormwatch.yaml:3: sources.mongo[0].uri: option tlsCertificateKeyFilePassword carries a credential"}},
		{"an unknown series", "alerts:\n  rules:\n    - name: x\n      series: db.cpuu\n      op: \">\"\n      threshold: 1\n", []string{"stormwatch.yaml:4: alerts.rules[0].series: unknown series \"db.cpuu\""}},
		{"bad datapoints", "alerts:\n  rules:\n    - name: x\n      series: db.cpu\n      op: \">\"\n      threshold: 1\n      datapoints: 4 of 3\n", []string{"stormwatch.yaml:7: alerts.rules[0].datapoints"}},
		{"several problems at once", "ui:\n  colour: x\nalerts:\n  bell: loud\n", []string{"stormwatch.yaml:2:", "stormwatch.yaml:4:"}},
		{"a bad alarm pattern", "alerts:\n  bell_alarms: [\"prod-[\"]\n", []string{"alerts.bell_alarms[0]: \"prod-[\" is not a glob pattern"}},
		{"a YAML syntax error", "ui: [\n", []string{"stormwatch.yaml:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("stormwatch.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T %v", err, err)
			}
			all := strings.Join(e.Lines(), "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("missing %q in:\n%s", w, all)
				}
			}
			if strings.Contains(all, "hunter2") {
				t.Error("the password appears in the error")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Error() is not one line: %q", err.Error())
			}
		})
	}
}

func TestBellAlarmsTellsAbsentFromEmpty(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want []string
	}{{"alerts:\n  bell: all\n", nil}, {"alerts:\n  bell_alarms: []\n", []string{}}, {"alerts:\n  bell_alarms: [prod-*]\n", []string{"prod-*"}}} {
		c, err := Parse("stormwatch.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Alerts.BellAlarms; (got == nil) != (tc.want == nil) || len(got) != len(tc.want) {
			t.Errorf("%q: bell_alarms %#v, want %#v (nil rings every alarm, empty none)", tc.yaml, got, tc.want)
		}
	}
}

func TestAServiceNameInTheOptionsIsNoCredential(t *testing.T) {
	if _, err := Parse("x.yaml", []byte("sources:\n  mongo:\n    - uri: mongodb://db:27017/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:mongodb\n")); err != nil {
		t.Error(err)
	}
}

func TestAnEmptyFileIsRefused(t *testing.T) {
	for _, data := range []string{"", "\n", "# only a comment\n\n"} {
		_, err := Parse("x.yaml", []byte(data))
		if err == nil || !strings.Contains(err.Error(), "x.yaml: empty config") {
			t.Errorf("%q: err = %v, want \"empty config\"", data, err)
		}
	}
}

func TestNonFiniteNumbersAndTinyIntervalsAreRefusedWithLineAndKey(t *testing.T) {
	cfg := `sources:
  mongo:
    - name: db
      uri_env: X
      interval: 1ns
alerts:
  rules:
    - name: a
      series: db.cpu
      op: "<"
      threshold: .inf
      clear: .nan
      datapoints: 1 of 1
    - name: b
      series: db.cpu
      op: ">"
      threshold: -.Inf
`
	_, err := Parse("x.yaml", []byte(cfg))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	got := strings.Join(e.Lines(), "\n")
	for _, want := range []string{
		"x.yaml:5: sources.mongo[0].interval: 1ns: the shortest interval is 1s",
		"x.yaml:11: alerts.rules[0].threshold: .inf is not a finite number",
		"x.yaml:12: alerts.rules[0].clear: .nan is not a finite number",
		"x.yaml:17: alerts.rules[1].threshold: -.Inf is not a finite number",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestLoadMissingFileSaysWhatToDo(t *testing.T) {
	_, err := Load(t.TempDir() + "/nope.yaml")
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatal(err)
	}
}

func TestTheExampleConfigIsValid(t *testing.T) {
	if _, err := Load("../stormwatch.example.yaml"); err != nil {
		t.Fatal(err)
	}
}

func TestBuiltInRulesWatchOnlyWhatTheSourcesEmit(t *testing.T) {
	cfg, err := Parse("x.yaml", []byte("sources:\n  mongo:\n    - uri_env: X\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cfg.Rules() {
		if strings.HasPrefix(r.Series, "main.") {
			t.Errorf("rule %s watches %s, which no configured source emits", r.Name, r.Series)
		}
	}
	if len(cfg.Rules()) == 0 {
		t.Error("the MongoDB rules are missing")
	}
}

func TestAnInstanceIsNamedByIdOrByNameTagOrAGroupButOnlyOne(t *testing.T) {
	const want = "stormwatch.yaml:4: sources.cloudwatch[0].main: set exactly one of instance (i-...), name_tag or asg (an Auto Scaling group name)"
	tests := []struct {
		name, instance, want string
	}{
		{"by id", "{instance: i-0abc123}", ""},
		{"by Name tag", "{name_tag: api-main}", ""},
		{"by Auto Scaling group", "{asg: api-asg}", ""},
		{"by both", "{instance: i-0abc123, name_tag: api-main}", want},
		{"by tag and group", "{name_tag: api-main, asg: api-asg}", want},
		{"by neither", "{}", want},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("stormwatch.yaml", []byte("sources:\n  cloudwatch:\n    - region: eu-west-1\n      main: "+tc.instance+"\n"))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if m := cfg.Sources.CloudWatch[0].Main; m.ID == "" && m.Name != "api-main" && m.ASG != "api-asg" {
					t.Errorf("main %+v", m)
				}
				return
			}
			if err == nil || !strings.Contains(strings.Join(err.(*Error).Lines(), "\n"), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestAMongoOnlyConfigGetsNoMainCPURules(t *testing.T) {
	cfg, err := Parse("x.yaml", []byte("sources:\n  mongo:\n    - name: db\n      uri_env: X\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cfg.Rules() {
		if strings.HasPrefix(r.Name, "main-cpu") {
			t.Errorf("built-in %s installed with no source of main.cpu: it would sit in NO DATA", r.Name)
		}
	}
}
