package cli

import (
	"strings"
	"testing"
)

func TestAnUnknownDemoScenarioIsAUsageErrorNamingTheChoices(t *testing.T) {
	ran, _, code, errOut := parsed(t, "demo", "--scenario", "flood")
	if code != 2 || ran != "" || !strings.Contains(errOut, `--scenario: no demo scenario "flood" (there are: peak, traffic)`) {
		t.Fatalf("exit %d, stderr %q; want a usage error naming peak and traffic", code, errOut)
	}
}
