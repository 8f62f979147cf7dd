package sources

import (
	"testing"
	"time"
)

func TestBackoffDoublesFromTheBaseUpToTheCap(t *testing.T) {
	tests := []struct {
		name      string
		base, max time.Duration
		n         int
		want      time.Duration
	}{
		{"no failure yet waits the base", time.Second, time.Minute, 0, time.Second},
		{"the first failure waits the base", time.Second, time.Minute, 1, time.Second},
		{"the third waits four times the base", time.Second, time.Minute, 3, 4 * time.Second},
		{"many failures wait the cap", time.Second, time.Minute, 1000, time.Minute},
		{"a base above the cap waits the cap", 2 * time.Minute, time.Minute, 1, time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Backoff(tc.base, tc.max, tc.n); got != tc.want {
				t.Errorf("Backoff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestJitterStaysWithinItsFraction(t *testing.T) {
	for range 1000 {
		if d := Jitter(10*time.Second, 0.2); d < 8*time.Second || d > 12*time.Second {
			t.Fatalf("Jitter(10s, 0.2) = %v", d)
		}
	}
}
