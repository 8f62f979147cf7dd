package cli

import (
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/sources/demo"
)

// `demo --scenario traffic` was headed "DEMO: scripted replay of a
// peak-day incident (not real data); scenario traffic: …": at 80 columns
// the header showed only the peak-day words, which that story is not.
func TestDemoLabelNamesTheScenarioFirst(t *testing.T) {
	for _, tc := range []struct {
		sc   *demo.Scenario
		want string
	}{
		{demo.Peak, DemoLabel},
		{demo.TrafficOnly, "DEMO: scenario traffic (not real data): an ad push triples traffic; every query stays indexed"},
	} {
		got := demoLabel(tc.sc)
		if got != tc.want {
			t.Errorf("%s: label %q, want %q", tc.sc.Name, got, tc.want)
		}
		if !strings.HasPrefix(got, "DEMO") || !strings.Contains(got, "not real data") {
			t.Errorf("%s: label %q does not say DEMO and not real data", tc.sc.Name, got)
		}
	}
}
