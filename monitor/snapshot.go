package monitor

import (
	"fmt"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// Snapshot is an immutable picture of everything the engine knows. Viewers
// receive pointers to snapshots and must not modify them; the engine never
// modifies one after publishing it.
type Snapshot struct {
	Seq   uint64
	At    time.Time // engine clock when it was taken
	Label string    // e.g. "DEMO: scripted replay of the peak-day incident"
	// TimeNote is what At and every time in the snapshot are when they are
	// not wall-clock time ("scenario time, demo at 10x"); "" for live.
	TimeNote string

	Series  map[string]series.View
	Sources []SourceHealth // in configuration order
	Alerts  []AlertView    // firing first, then pending, no data, resolved; OK ones omitted
	Alarms  []AlarmView    // external alarms (CloudWatch), newest change first
	// Timeline is oldest first and append-only across snapshots, except
	// that the oldest events beyond the engine's cap are dropped (counted in
	// Dropped): Timeline[i] is event number Dropped.Events+i of the run.
	Timeline []Event
	Marks    []sources.Mark // annotations, oldest first; capped like Timeline
	Dropped  Dropped
	Tables   []sources.Table
	// Viewers is who is watching this engine over SSH, one entry per
	// session, sorted; nil when nobody is.
	Viewers []string
	// Verdict is the named cause while an alert is pending or firing (or
	// someone asked for it); nil otherwise. Never modified once published.
	Verdict *Verdict
}

// HealthState is a source's condition as last polled.
type HealthState string

// Source health states. Staleness is a function of time, not of the last
// poll, so the viewer computes it with SourceHealth.Describe.
const (
	Starting HealthState = "starting"
	Healthy  HealthState = "ok"
	Failing  HealthState = "error"
)

// SourceHealth is what a viewer needs to say whether a source can be
// trusted right now.
type SourceHealth struct {
	Name     string
	Interval time.Duration
	Timeout  time.Duration // one poll's deadline
	State    HealthState
	Since    time.Time // when State began (the engine's start for Starting)
	LastOK   time.Time // end of the last successful poll
	NextPoll time.Time
	Err      string // the classified, secret-free reason when Failing
	// Class is the error class in a word or two ("unreachable", "no
	// credentials"), for the one line that says what is not watched.
	Class    string
	Hint     string
	Failures int // consecutive
	Polls    int
	Members  []sources.Member
	Facts    []sources.Fact
}

// Stale reports whether the source has missed more than two polls.
func (h SourceHealth) Stale(now time.Time) bool {
	return !h.LastOK.IsZero() && now.Sub(h.LastOK) > 2*h.Interval+time.Second
}

// Describe is the one-line health word: "ok", "stale 12s", "error: timeout
// (retry in 4s)", "starting".
func (h SourceHealth) Describe(now time.Time) string {
	retry := ""
	if !h.NextPoll.IsZero() && h.NextPoll.After(now) {
		retry = fmt.Sprintf(" (retry in %s)", roundAge(h.NextPoll.Sub(now)))
	}
	switch {
	case h.State == Failing:
		return "error: " + h.Err + retry
	case h.State == Starting:
		return "starting"
	case h.Stale(now):
		return "stale " + roundAge(now.Sub(h.LastOK))
	}
	return "ok"
}

// Blind reports whether the source cannot be trusted at now: it is
// failing, stale, or has not answered its first poll within its timeout.
// A blind source is never shown as healthy.
func (h SourceHealth) Blind(now time.Time) bool {
	switch h.State {
	case Failing:
		return true
	case Starting:
		return !h.Since.IsZero() && now.Sub(h.Since) > h.Timeout+time.Second
	}
	return h.Stale(now)
}

// Problem is what the NOT WATCHING line says of a blind source: "db:
// unreachable (retry in 23s)", "aws: no answer yet", "db: stale 12s".
// Never-delivered is said when a failing source has never had a good poll.
func (h SourceHealth) Problem(now time.Time) string {
	switch h.State {
	case Failing:
		why := h.Class
		if why == "" {
			why = h.Err
		}
		if h.LastOK.IsZero() {
			why += ", never delivered"
		}
		if !h.NextPoll.IsZero() && h.NextPoll.After(now) {
			why += fmt.Sprintf(" (retry in %s)", roundAge(h.NextPoll.Sub(now)))
		}
		return h.Name + ": " + why
	case Starting:
		return h.Name + ": no answer yet"
	}
	return h.Name + ": stale " + roundAge(now.Sub(h.LastOK))
}

// Blind is every source that cannot be trusted at now, in configuration
// order.
func (s *Snapshot) Blind(now time.Time) []SourceHealth {
	var out []SourceHealth
	for _, h := range s.Sources {
		if h.Blind(now) {
			out = append(out, h)
		}
	}
	return out
}

// Starting reports whether a source is still within its first poll.
func (s *Snapshot) Starting(now time.Time) []string {
	var out []string
	for _, h := range s.Sources {
		if h.State == Starting && !h.Blind(now) {
			out = append(out, h.Name)
		}
	}
	return out
}

func roundAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh", int(d/time.Hour))
}

// AlertView is an alert status with what the viewer needs to show it.
type AlertView struct {
	alert.Status
	Condition     string // the rule as one line, "db.cpu > 80 (3 of 3)"
	Runbook       string
	AckedBy       string // "" when not acknowledged since it last fired
	AckedAt       time.Time
	SilencedUntil time.Time
}

// Silenced reports whether the alert is silenced at now.
func (a AlertView) Silenced(now time.Time) bool { return now.Before(a.SilencedUntil) }

// AlertID is the alert an alert, ack or silence event is about.
func (e Event) AlertID() alert.ID { return alert.ID{Rule: e.Rule, Key: e.Key} }

// EventKind classifies timeline entries.
type EventKind string

// Timeline event kinds.
const (
	EventAlert   EventKind = "alert"
	EventAlarm   EventKind = "alarm"
	EventAck     EventKind = "ack"
	EventSilence EventKind = "silence"
	EventNote    EventKind = "note"
	EventMark    EventKind = "mark"
	EventSource  EventKind = "source"
	EventWarning EventKind = "warning"
	// EventViewer is an SSH session joining ("joined") or leaving ("left");
	// Subject is who.
	EventViewer EventKind = "viewer"
)

// Event is one line of the incident timeline.
type Event struct {
	At       time.Time
	Kind     EventKind
	Severity alert.Severity // for alert events
	State    string         // alert state, alarm state, or source health
	Subject  string         // rule and series, alarm name, or source name
	Text     string
	Who      string
	Value    float64 // the value at the transition, for alert events
	// Rule and Key name the alert for alert, ack and silence events (read
	// them as one with AlertID; Subject is how it reads); Op is the rule's
	// comparison on alert events, so a reader knows whether the worst value
	// is the highest or the lowest. Source names the source for source,
	// alarm and mark events; Peak is the worst value of the episode on a
	// RESOLVED event.
	Rule, Key, Source string
	Op                alert.Op
	Peak              float64
}
