package record_test

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/record"
)

func TestAPausedReplayClockHoldsStillAndStepsOneSecond(t *testing.T) {
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	c := record.NewClock(start, 1)
	c.TogglePause()
	if !c.Paused() {
		t.Fatal("TogglePause did not pause")
	}
	at := c.Now()
	timer := c.After(500 * time.Millisecond)
	select {
	case <-timer:
		t.Fatal("a timer fired while paused")
	default:
	}
	if again := c.Now(); !again.Equal(at) {
		t.Fatalf("a paused clock moved from %s to %s", at, again)
	}
	c.Step()
	if got := c.Now(); !got.Equal(at.Add(record.StepSize)) {
		t.Errorf("Step moved to %s, want %s", got, at.Add(record.StepSize))
	}
	select {
	case <-timer:
	case <-time.After(10 * time.Second):
		t.Fatal("the timer due before the step never fired")
	}
	c.TogglePause()
	if c.Paused() {
		t.Error("TogglePause did not resume")
	}
	select {
	case <-c.After(10 * time.Millisecond):
	case <-time.After(10 * time.Second):
		t.Fatal("a running clock's timer never fired")
	}
}
