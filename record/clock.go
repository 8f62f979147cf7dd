package record

import (
	"sync"
	"time"
)

// StepSize is how far Step moves a paused replay: one poll of a 1 s source.
const StepSize = time.Second

// Clock is a replay's clock: recording time that runs Speed times faster
// than the wall clock, can pause, and steps while paused. It implements
// monitor.Clock, and Paused, TogglePause and Step are what the dashboard's
// playback keys call.
type Clock struct {
	mu       sync.Mutex
	speed    float64
	base     time.Time // recording time at wallBase, or while paused
	wallBase time.Time
	paused   bool
	// end, when set, is where the replay stops: the clock pauses itself
	// there, and neither space nor . moves it past.
	end     time.Time
	waiters []waiter
	timer   *time.Timer
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewClock starts a running clock at start.
func NewClock(start time.Time, speed float64) *Clock {
	if speed <= 0 {
		speed = 1
	}
	return &Clock{speed: speed, base: start.UTC(), wallBase: time.Now()}
}

// Now returns the recording time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.paused {
		return c.base
	}
	t := c.base.Add(time.Duration(float64(time.Since(c.wallBase)) * c.speed)).UTC()
	if !c.end.IsZero() && t.After(c.end) {
		return c.end
	}
	return t
}

// StopAt makes the replay stop at t, the end of the recording or --to:
// the clock pauses itself there and stays.
func (c *Clock) StopAt(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.end = t.UTC()
	c.fireLocked()
}

// AtEnd reports whether the replay has reached where it stops.
func (c *Clock) AtEnd() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.atEndLocked()
}

func (c *Clock) atEndLocked() bool {
	return !c.end.IsZero() && !c.nowLocked().Before(c.end)
}

// After fires once the recording time has moved d past now; a paused
// clock holds every timer.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.nowLocked().Add(d), ch})
	c.fireLocked()
	return ch
}

// Paused reports whether the replay is paused.
func (c *Clock) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// TogglePause pauses a running replay or resumes a paused one.
func (c *Clock) TogglePause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setPausedLocked(!c.paused)
}

// Pause stops the clock (the end of a replay).
func (c *Clock) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setPausedLocked(true)
}

func (c *Clock) setPausedLocked(p bool) {
	if p == c.paused || (!p && c.atEndLocked()) {
		return // at the end, space does not play past it
	}
	if p {
		c.base = c.nowLocked()
	} else {
		c.wallBase = time.Now()
	}
	c.paused = p
	c.fireLocked()
}

// Step pauses the replay and moves it forward by StepSize.
func (c *Clock) Step() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setPausedLocked(true)
	c.base = c.base.Add(StepSize)
	if !c.end.IsZero() && c.base.After(c.end) {
		c.base = c.end
	}
	c.fireLocked()
}

// fireLocked fires the timers that are due and arms one wall-clock timer
// for the next.
func (c *Clock) fireLocked() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	now := c.nowLocked()
	// Reaching the end pauses the clock there, and wakes every waiter once
	// so that the replay's last poll sees the end.
	reached := !c.paused && c.atEndLocked()
	if reached {
		c.base, c.paused = c.end, true
	}
	kept := c.waiters[:0]
	var next time.Time
	for _, w := range c.waiters {
		if reached || !w.at.After(now) {
			w.ch <- now
			continue
		}
		if next.IsZero() || w.at.Before(next) {
			next = w.at
		}
		kept = append(kept, w)
	}
	clear(c.waiters[len(kept):])
	c.waiters = kept
	if c.paused {
		return
	}
	if !c.end.IsZero() && (next.IsZero() || c.end.Before(next)) {
		next = c.end
	}
	if next.IsZero() {
		return
	}
	wall := time.Duration(float64(next.Sub(now)) / c.speed)
	c.timer = time.AfterFunc(wall, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.fireLocked()
	})
}

// Speed is how many times faster than real time the replay runs.
func (c *Clock) Speed() float64 { return c.speed }
