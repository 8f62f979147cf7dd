package config

import (
	"strings"
	"testing"
)

func TestValidateListsEveryProblemOfARule(t *testing.T) {
	yaml := "alerts:\n  rules:\n    - name: x\n      series: db.cpu\n      op: \"=>\"\n      threshold: 1\n      severity: urgent\n"
	_, err := Parse("stormwatch.yaml", []byte(yaml))
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v", err, err)
	}
	all := strings.Join(e.Lines(), "\n")
	for _, w := range []string{
		`stormwatch.yaml:5: alerts.rules[0].op: op "=>"`,
		`stormwatch.yaml:7: alerts.rules[0].severity: severity "urgent"`,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in:\n%s", w, all)
		}
	}
}

func TestValidateChecksSeriesAgainstTheSourcesCatalogue(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // "" means valid
	}{
		{"a panel on a series no source emits", "panels:\n  - title: x\n    series: [main.cpu, main.cpuu]\n",
			`stormwatch.yaml:3: panels[0].series[1]: no source emits series "main.cpuu"`},
		{"a panel on a member of a known series", "panels:\n  - title: x\n    series: [db.cpu@mongo-1:27017]\n", ""},
		{"a rule on a ticket series the MongoDB source emits",
			"alerts:\n  rules:\n    - name: x\n      series: db.tickets.read.available\n      op: \"<\"\n      threshold: 5\n", ""},
		{"a rule on a replicated-ops total", "alerts:\n  rules:\n    - name: x\n      series: db.repl.ops.total\n      op: \">\"\n      threshold: 5\n", ""},
		{"a rule on a series of a MongoDB source with its own name",
			"sources:\n  mongo:\n    - name: orders\n      uri_env: X\nalerts:\n  rules:\n    - name: x\n      series: orders.cpu\n      op: \">\"\n      threshold: 5\n", ""},
		{"a panel on a configured CloudWatch metric",
			"sources:\n  cloudwatch:\n    - region: eu-west-1\n      metrics:\n        - series: lb.errors\n          namespace: AWS/ApplicationELB\n          metric: HTTPCode_ELB_5XX_Count\npanels:\n  - title: x\n    series: [lb.errors]\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("stormwatch.yaml", []byte(tc.yaml))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("accepted, want %q", tc.want)
			case tc.want != "":
				if all := strings.Join(err.(*Error).Lines(), "\n"); !strings.Contains(all, tc.want) {
					t.Errorf("missing %q in:\n%s", tc.want, all)
				}
			}
		})
	}
}
