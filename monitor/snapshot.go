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

	Series   map[string]series.View
	Sources  []SourceHealth // in configuration order
	Alerts   []AlertView    // firing first, then pending, no data, resolved; OK ones omitted
	Alarms   []AlarmView    // external alarms (CloudWatch), newest change first
	Timeline []Event        // oldest first; append-only across snapshots
	Marks    []sources.Mark // annotations, oldest first
	Tables   []sources.Table
	// Viewers is who is watching this engine over SSH, one entry per
	// session, sorted; nil when nobody is.
	Viewers []string
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
	State    HealthState
	LastOK   time.Time // end of the last successful poll
	NextPoll time.Time
	Err      string // the classified, secret-free reason when Failing
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
	Describe      string // "db.cpu > 80 (3 of 3)"
	Runbook       string
	AckedBy       string // "" when not acknowledged since it last fired
	AckedAt       time.Time
	SilencedUntil time.Time
}

// ID identifies an alert for ack and silence: rule name and series key.
func (a AlertView) ID() string { return a.Rule + "|" + a.Key }

// Silenced reports whether the alert is silenced at now.
func (a AlertView) Silenced(now time.Time) bool { return now.Before(a.SilencedUntil) }

// AlarmView is an external alarm and the source that reported it.
type AlarmView struct {
	Source string
	sources.Alarm
}

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
	// Rule and Key name the alert for alert, ack and silence events; Source
	// names the source for source, alarm and mark events; Peak is the worst
	// value of the episode on a RESOLVED event.
	Rule, Key, Source string
	Peak              float64
}
