package mongo

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

func TestTheSourceOwnsItsSchedule(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want sources.Schedule
	}{
		{"defaults: every second, two member timeouts of 0.8 s per poll", Config{URI: "mongodb://db:27017"},
			sources.Schedule{Interval: time.Second, Timeout: 1600 * time.Millisecond}},
		{"a configured interval and timeout", Config{URI: "mongodb://db:27017", Interval: 5 * time.Second, Timeout: 2 * time.Second},
			sources.Schedule{Interval: 5 * time.Second, Timeout: 4 * time.Second}},
		{"an interval alone scales the timeout", Config{URI: "mongodb://db:27017", Interval: 10 * time.Second},
			sources.Schedule{Interval: 10 * time.Second, Timeout: 16 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Schedule(); got != tc.want {
				t.Errorf("Schedule = %+v, want %+v", got, tc.want)
			}
		})
	}
}
