package cli

import (
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

func TestAnUnknownDemoScenarioIsAUsageErrorNamingTheChoices(t *testing.T) {
	ran, _, code, errOut := parsed(t, "demo", "--scenario", "flood")
	if code != 2 || ran != "" || !strings.Contains(errOut, `--scenario: no demo scenario "flood" (there are: peak, traffic)`) {
		t.Fatalf("exit %d, stderr %q; want a usage error naming peak and traffic", code, errOut)
	}
}

func TestTheRequestSeriesAndBothCPUsAskForLastWeek(t *testing.T) {
	ms := []cloudwatch.Metric{{Series: "api.hits"}, {Series: "main.cpu"}, {Series: "db.host.cpu"}, {Series: "main.requests"},
		{Series: "main.cpu.max", Expression: "MAX(m)"}}
	if !withLastWeek(ms, "api.hits") {
		t.Error("the configured request series was not found")
	}
	for _, m := range ms {
		want := m.Series == "api.hits" || m.Series == "main.cpu" || m.Series == "db.host.cpu"
		if m.LastWeek != want {
			t.Errorf("%s: LastWeek %v, want %v", m.Series, m.LastWeek, want)
		}
	}
}
