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

func TestAReplayClockStopsAtTheEndAndSpaceDoesNotPlayPastIt(t *testing.T) {
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	end := start.Add(2 * time.Second)
	c := record.NewClock(start, 1000)
	late := c.After(5 * time.Second) // a poll due after the end
	c.StopAt(end)
	select {
	case at := <-late:
		if !at.Equal(end) {
			t.Errorf("the last poll saw %s, want the end %s", at, end)
		}
	case <-time.After(time.Minute):
		t.Fatal("a poll due after the end never ran: the replay would never see its end")
	}
	if !c.Paused() || !c.AtEnd() || !c.Now().Equal(end) {
		t.Fatalf("at the end: paused %v, at end %v, now %s", c.Paused(), c.AtEnd(), c.Now())
	}
	c.TogglePause() // space
	if !c.Paused() || !c.Now().Equal(end) {
		t.Errorf("space at the end resumed the replay: paused %v, now %s", c.Paused(), c.Now())
	}
	c.Step() // .
	if !c.Now().Equal(end) {
		t.Errorf(". at the end stepped past it to %s", c.Now())
	}
}
