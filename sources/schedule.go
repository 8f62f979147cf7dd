package sources

import "time"

// DefaultInterval is how often a source is polled when nothing says
// otherwise.
const DefaultInterval = time.Second

// OrDefault is v when it is set (above zero), else def: the one rule for an
// option left out of a config (zero) or nonsensical (negative; config
// validation refuses those before they get here).
func OrDefault[T ~int | ~int64 | ~float64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// WithDefaults fills in what a schedule leaves out: a 1 s interval, a
// timeout of 0.8 intervals (a hung poll costs one poll, not a pile-up), and
// backoff up to 30 intervals. A timeout longer than the interval is
// allowed (a multi-member source needs room for a slow member): polls still
// never overlap, since the next is armed only when one returns.
func (s Schedule) WithDefaults() Schedule {
	s.Interval = OrDefault(s.Interval, DefaultInterval)
	s.Timeout = OrDefault(s.Timeout, s.Interval*8/10)
	s.MaxBackoff = OrDefault(s.MaxBackoff, 30*s.Interval)
	return s
}
