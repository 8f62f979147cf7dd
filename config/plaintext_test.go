package config

import (
	"strings"
	"testing"
)

// A config's words reach the screen, the timeline and the hooks. An
// escape sequence or an invisible bidi override in a panel title or a rule
// name reached the terminal (tmux showed "db-cpu-high" for a rule named
// "db-cpu\e[31m-high\u202e", beside the real db-cpu-high): the file is
// refused with the field named, as any other bad value.
func TestTextFieldsHoldNoControlOrInvisibleCharacter(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"panels:\n  - title: \"API \\e]0;x\\a CPU\"\n    series: [main.cpu]\n", `stormwatch.yaml:2: panels[0].title: "API \x1b]0;x\a CPU" holds a control or invisible character`},
		{"panels:\n  - title: CPU\n    unit: \"%\\u202e\"\n    series: [main.cpu]\n", `panels[0].unit: "%\u202e" holds`},
		{"alerts:\n  rules:\n    - name: \"db-cpu\\e[31m-high\"\n      series: db.cpu\n      op: \">\"\n      threshold: 1\n", `stormwatch.yaml:3: alerts.rules[0].name: "db-cpu\x1b[31m-high" holds`},
		{"alerts:\n  rules:\n    - name: x\n      series: db.cpu\n      op: \">\"\n      threshold: 1\n      runbook: \"look\\e[2J here\"\n", `alerts.rules[0].runbook: "look\x1b[2J here" holds`},
		{"ui:\n  who: \"ana\\u200b\"\n", `ui.who: "ana\u200b" holds`},
		{"sources:\n  mongo:\n    - uri_env: U\n      aliases: {\"h:1\": \"m\\e[1m\"}\n", `sources.mongo[0].aliases: "m\x1b[1m" holds`},
	} {
		wantProblem(t, tc.yaml, tc.want)
	}
	if _, err := Parse("stormwatch.yaml", []byte("panels:\n  - title: \"Ünïcode CPU — ok ✓\"\n    series: [main.cpu]\n")); err != nil {
		t.Errorf("plain Unicode refused: %v", err)
	}
}

// record.max_size and serve's limits were checked only when used: config
// validate said "ok" for 5QB and -1, the dashboard then failed naming a
// flag nobody typed (--record-max), and serve took -1 sessions and -5s
// as the defaults without a word.
func TestRecordAndServeLimitsAreValidated(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"record:\n  file: r.jsonl\n  max_size: 5QB\n", `stormwatch.yaml:3: record.max_size: size "5QB": use a positive size like 100MB`},
		{"serve:\n  max_sessions: -1\n", "stormwatch.yaml:2: serve.max_sessions: must be positive"},
		{"serve:\n  idle_timeout: -5s\n", "stormwatch.yaml:2: serve.idle_timeout: must be positive"},
	} {
		wantProblem(t, tc.yaml, tc.want)
	}
}

// wantProblem parses yaml and expects a config error that says want.
func wantProblem(t *testing.T, yaml, want string) {
	t.Helper()
	_, err := Parse("stormwatch.yaml", []byte(yaml))
	e, ok := err.(*Error)
	if !ok {
		t.Errorf("%q: error %v, want a config error", yaml, err)
		return
	}
	if all := strings.Join(e.Lines(), "\n"); !strings.Contains(all, want) {
		t.Errorf("missing %q in:\n%s", want, all)
	}
}
