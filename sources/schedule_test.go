package sources

import (
	"testing"
	"time"
)

func TestAScheduleFillsInWhatItLeavesOut(t *testing.T) {
	tests := []struct {
		name string
		in   Schedule
		want Schedule
	}{
		{"nothing set", Schedule{}, Schedule{Interval: time.Second, Timeout: 800 * time.Millisecond, MaxBackoff: 30 * time.Second}},
		{"an interval scales the rest", Schedule{Interval: time.Minute}, Schedule{Interval: time.Minute, Timeout: 48 * time.Second, MaxBackoff: 30 * time.Minute}},
		{"what is set stays", Schedule{Interval: 2 * time.Second, Timeout: 5 * time.Second, MaxBackoff: time.Hour},
			Schedule{Interval: 2 * time.Second, Timeout: 5 * time.Second, MaxBackoff: time.Hour}},
		{"a negative value counts as unset", Schedule{Interval: -time.Second}, Schedule{Interval: time.Second, Timeout: 800 * time.Millisecond, MaxBackoff: 30 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.WithDefaults(); got != tc.want {
				t.Errorf("WithDefaults = %+v, want %+v", got, tc.want)
			}
		})
	}
}
