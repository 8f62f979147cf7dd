package cli

import (
	"io"
	"strings"
	"testing"
)

func TestAnUnknownDemoScenarioIsAUsageErrorNamingTheChoices(t *testing.T) {
	err := run([]string{"demo", "--scenario", "flood"}, Build{}, strings.NewReader(""), io.Discard, io.Discard)
	if _, ok := err.(usageError); !ok || !strings.Contains(err.Error(), `--scenario: no demo scenario "flood" (there are: peak, traffic)`) {
		t.Fatalf("got %v, want a usage error naming peak and traffic", err)
	}
}
