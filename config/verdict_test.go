package config

import (
	"strings"
	"testing"
	"time"
)

func TestTheVerdictSectionIsReadAndChecked(t *testing.T) {
	base := `sources:
  cloudwatch:
    - region: us-east-1
      metrics:
        - series: main.requests
          namespace: AWS/ApplicationELB
          metric: RequestCount
          dimensions: {LoadBalancer: app/api/1}
          stat: Sum
`
	c, err := Parse("ok.yaml", []byte(base+"verdict: {requests: main.requests, baseline: 15m, window: 2m}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Verdict.Requests != "main.requests" || c.Verdict.Baseline != 15*time.Minute || c.Verdict.Window != 2*time.Minute {
		t.Errorf("verdict %+v", c.Verdict)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"verdict: {requests: api.hits}", `verdict.requests: no source emits series "api.hits"`},
		{"verdict: {baseline: 1m, window: 5m}", "verdict.window: 5m0s is not shorter than the baseline (1m0s)"},
	} {
		_, err := Parse("bad.yaml", []byte(base+tt.yaml+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
