package monitor

import (
	"testing"
	"time"
)

// The timeline and the exported postmortem said "silenced for 15m0s" and
// "silenced for 1h0m0s": a Go duration, not what the s menu offered.
func TestSilenceTextReadsLikeTheMenu(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute:              "silenced for 15m",
		time.Hour:                     "silenced for 1h",
		12 * time.Hour:                "silenced for 12h",
		90 * time.Minute:              "silenced for 1h30m",
		10 * time.Second:              "silenced for 10s",
		2*time.Minute + 5*time.Second: "silenced for 2m5s",
	} {
		if got := silencedFor(d); got != want {
			t.Errorf("silencedFor(%s) = %q, want %q", d, got, want)
		}
	}
}
