package monitor

import "time"

// Clock is where the engine gets time from, so tests and replays can drive
// it. After must fire once, d after Now (in the clock's own time).
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns the wall-clock time in UTC.
func (RealClock) Now() time.Time { return time.Now().UTC() }

// After waits d of wall time.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ScaledClock runs speed times faster than the wall clock from Start: the
// demo at --speed 10 plays a 3-minute scenario in 18 s while every
// timestamp, alert duration and staleness age stays in scenario time.
type ScaledClock struct {
	Start time.Time // scenario time at Origin
	// Origin is the wall-clock instant the scenario started.
	Origin time.Time
	Speed  float64
}

// NewScaledClock starts a scaled clock now.
func NewScaledClock(start time.Time, speed float64) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	return &ScaledClock{Start: start, Origin: time.Now(), Speed: speed}
}

// Now returns the scaled time.
func (c *ScaledClock) Now() time.Time {
	return c.Start.Add(time.Duration(float64(time.Since(c.Origin)) * c.Speed)).UTC()
}

// After waits d of scaled time.
func (c *ScaledClock) After(d time.Duration) <-chan time.Time {
	real := time.Duration(float64(d) / c.Speed)
	ch := make(chan time.Time, 1)
	time.AfterFunc(real, func() { ch <- c.Now() })
	return ch
}
