package alert

import (
	"time"

	"github.com/stormwatch/stormwatch/series"
)

// State is where an alert is in its life.
type State string

// States. RESOLVED behaves as OK but says the alert fired and cleared.
const (
	OK       State = "OK"
	Pending  State = "PENDING"
	Firing   State = "FIRING"
	Resolved State = "RESOLVED"
	Missing  State = "NO DATA" // the series has no recent point
)

// Status is one rule applied to one series.
type Status struct {
	Rule     string
	Key      string // the series key this status watches
	Severity Severity
	State    State
	Since    time.Time // when State was entered
	// Value is the newest point's value; LastT its time (Unix ms), which is
	// also how the evaluator knows whether a point is new.
	Value float64
	LastT int64
	// Peak is the worst value seen since the alert last left OK.
	Peak float64
	// PendingSince is when the condition started to hold, for For.
	PendingSince time.Time
}

// Start is the status of a rule that has not seen data yet.
func Start(r Rule, key string, now time.Time) Status {
	return Status{Rule: r.Name, Key: key, Severity: r.Severity, State: OK, Since: now}
}

// breachCount is how many of the last N points breach (the M of N window).
func (r Rule) breachCount(recent []series.Point, firing bool) int {
	_, n := r.mn()
	if len(recent) > n {
		recent = recent[len(recent)-n:]
	}
	count := 0
	for _, p := range recent {
		if r.breaches(p.V, firing) {
			count++
		}
	}
	return count
}

// pend is the status once the condition holds: PENDING from now (if it
// was not already), with v counted towards the peak.
func (s Status) pend(r Rule, v float64, now time.Time) Status {
	if s.State != Pending {
		s = s.to(Pending, now)
		s.PendingSince = now
		s.Peak = v
	}
	s.peak(r, v)
	return s
}

// Evaluate returns the status after looking at recent, the newest points of
// the series (oldest first, at least r.Points() of them when available).
// Only points newer than prev.LastT count as new; with none, the status
// changes only through the passing of time (For, no data).
func Evaluate(r Rule, prev Status, recent []series.Point, now time.Time) Status {
	s := prev
	s.Severity = r.Severity
	nowMs := now.UnixMilli()

	var newest series.Point
	have := len(recent) > 0
	if have {
		newest = recent[len(recent)-1]
	}
	var stale bool
	if r.NoDataAfter > 0 {
		if have {
			stale = nowMs-newest.T > r.NoDataAfter.Milliseconds()
		} else {
			// Never any data: give the source NoDataAfter from the start.
			stale = now.Sub(prev.Since) > r.NoDataAfter
		}
	}
	if !have && !stale {
		return s
	}
	if stale {
		return noData(r, s, now)
	}
	if newest.T <= prev.LastT && s.State != Missing {
		// Nothing new: only For can move a pending alert on.
		if s.State == Pending && s.met(r, recent) && now.Sub(s.PendingSince) >= r.For {
			return s.to(Firing, now)
		}
		return s
	}

	s.Value, s.LastT = newest.V, newest.T
	firing := s.State == Firing
	m, _ := r.mn()
	count := r.breachCount(recent, firing)
	if firing {
		s.peak(r, newest.V)
		if count < m {
			return s.to(Resolved, now)
		}
		return s
	}
	newestBreaches := r.breaches(newest.V, false)
	switch {
	case count >= m:
		s = s.pend(r, newest.V, now)
		if now.Sub(s.PendingSince) >= r.For {
			return s.to(Firing, now)
		}
		return s
	case newestBreaches:
		return s.pend(r, newest.V, now)
	default:
		if s.State == Pending || s.State == Missing {
			return s.to(OK, now)
		}
		return s
	}
}

func noData(r Rule, s Status, now time.Time) Status {
	switch r.NoData {
	case NoDataKeep:
		// A series that never delivered has no state to keep: OK would
		// claim a health nobody has seen.
		if s.LastT == 0 && s.State == OK {
			return s.to(Missing, now)
		}
		return s
	case NoDataOK:
		switch s.State {
		case Firing:
			return s.to(Resolved, now)
		case Pending, Missing:
			return s.to(OK, now)
		}
		return s
	case NoDataAlarm:
		if s.State != Firing {
			return s.to(Firing, now)
		}
		return s
	default:
		if s.State != Missing {
			return s.to(Missing, now)
		}
		return s
	}
}

// met reports whether the M-of-N condition holds on the newest points.
func (s Status) met(r Rule, recent []series.Point) bool {
	m, _ := r.mn()
	return r.breachCount(recent, false) >= m
}

func (s Status) to(st State, now time.Time) Status {
	s.State = st
	s.Since = now
	return s
}

func (s *Status) peak(r Rule, v float64) {
	if r.Op == Below || r.Op == BelowOrEqual {
		if v < s.Peak {
			s.Peak = v
		}
		return
	}
	if v > s.Peak {
		s.Peak = v
	}
}

// Active reports whether the alert needs attention (firing or pending).
func (s Status) Active() bool { return s.State == Firing || s.State == Pending }
