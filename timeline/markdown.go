package timeline

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// Options shape the Markdown document.
type Options struct {
	Title string // default "Incident timeline"
	// Now ends an incident still in progress and dates the document. Zero
	// means the snapshot's time.
	Now time.Time
	// Location, when set and not UTC, adds local times to the time range:
	// responders think in their own zone, the timeline stays in UTC.
	Location *time.Location
	// Written is the wall-clock time the document is written, for its
	// "Generated" line; zero uses Now. Under a scaled or replayed clock Now
	// is not the wall clock, and the document says so (Snapshot.TimeNote).
	Written time.Time

	timeNote string // the snapshot's TimeNote
}

// Markdown renders the snapshot's timeline as a postmortem document: title
// and time range, a summary of alerts and external alarms, every event in
// time order, and a sparkline of each alerted series around the incident.
// The output depends only on s and opts.
func Markdown(s *monitor.Snapshot, opts Options) string {
	if s == nil {
		s = &monitor.Snapshot{}
	}
	if opts.Title == "" {
		opts.Title = "Incident timeline"
	}
	opts.timeNote = s.TimeNote
	if opts.Now.IsZero() {
		opts.Now = s.At
	}
	events := sortedEvents(s.Timeline)
	if opts.Now.IsZero() && len(events) > 0 {
		opts.Now = events[len(events)-1].At
	}
	eps := episodes(s, events, opts.Now)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", oneLine(opts.Title))
	if s.Label != "" {
		fmt.Fprintf(&b, "> %s\n\n", oneLine(s.Label))
	}
	if len(events) == 0 {
		fmt.Fprintf(&b, "No events recorded (generated %s UTC).\n", opts.Now.UTC().Format(time.DateTime))
		return b.String()
	}
	from, to := events[0].At, events[len(events)-1].At
	for _, e := range eps {
		if e.end.IsZero() && opts.Now.After(to) {
			to = opts.Now // still going: the incident runs to now
		}
	}
	writeRange(&b, from, to, opts)
	writeDropped(&b, s.Dropped)
	clock := "15:04:05"
	if from.UTC().Format(time.DateOnly) != to.UTC().Format(time.DateOnly) {
		clock = "01-02 15:04:05"
	}
	writeWhatHappened(&b, events, clock)
	writeAlerts(&b, eps, clock, opts.Now)
	writeAlarms(&b, s, events, clock, opts.Now)
	writeEvents(&b, events, clock)
	writeSeries(&b, s, eps, events, opts.Now)
	return b.String()
}

func sortedEvents(tl []monitor.Event) []monitor.Event {
	events := slices.DeleteFunc(slices.Clone(tl), func(ev monitor.Event) bool { return ev.Kind == KindRun })
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	return events
}

func writeRange(b *strings.Builder, from, to time.Time, opts Options) {
	f, t := from.UTC(), to.UTC()
	end := t.Format(time.TimeOnly)
	if f.Format(time.DateOnly) != t.Format(time.DateOnly) {
		end = t.Format(time.DateTime)
	}
	fmt.Fprintf(b, "**%s – %s UTC** (%s)", f.Format(time.DateTime), end, between(from, to))
	if loc := opts.Location; loc != nil && loc != time.UTC && loc.String() != "UTC" {
		lf, lt := from.In(loc), to.In(loc)
		fmt.Fprintf(b, ", local %s – %s %s", lf.Format(time.DateTime), lt.Format(time.TimeOnly), lt.Format("MST"))
	}
	written := opts.Written
	if written.IsZero() {
		written = opts.Now
	}
	fmt.Fprintf(b, "\n\nGenerated %s UTC.\n", written.UTC().Format(time.DateTime))
	if opts.timeNote != "" {
		fmt.Fprintf(b, "\nEvery time here is %s, not wall-clock time.\n", oneLine(opts.timeNote))
	}
}

// writeDropped says what the engine no longer held when the export was
// made: a long run drops its oldest events and marks to stay within its
// memory cap, and the document must not pass for the whole run.
func writeDropped(b *strings.Builder, d monitor.Dropped) {
	if !d.Any() {
		return
	}
	fmt.Fprintf(b, "\n**Not complete:** the oldest %d event(s) and %d mark(s) of this run were dropped from memory "+
		"to keep it within its cap, and are not in this document.\n", d.Events, d.Marks)
}

// episode is one alert from leaving OK to RESOLVED (or OK, or still open).
type episode struct {
	alert.ID
	severity          alert.Severity
	start, fired, end time.Time // fired is zero if it never fired; end zero while open
	peak              float64
	hasPeak           bool
	below             bool // the rule fires on low values, so its peak is a minimum
}

func (e *episode) see(v float64) {
	if math.IsNaN(v) {
		return
	}
	if !e.hasPeak || e.below && v < e.peak || !e.below && v > e.peak {
		e.peak, e.hasPeak = v, true
	}
}

// episodes pairs each alert's transitions into episodes that fired, oldest
// first.
func episodes(s *monitor.Snapshot, events []monitor.Event, now time.Time) []*episode {
	views := map[alert.ID]monitor.AlertView{}
	for _, a := range s.Alerts {
		views[a.ID()] = a
	}
	open := map[alert.ID]*episode{}
	var all []*episode
	for _, ev := range events {
		if ev.Kind != monitor.EventAlert {
			continue
		}
		e := open[ev.AlertID()]
		switch alert.State(ev.State) {
		case alert.Pending, alert.Firing, alert.Missing:
			if e == nil {
				below := ev.Op == alert.Below || ev.Op == alert.BelowOrEqual
				e = &episode{ID: ev.AlertID(), severity: ev.Severity, start: ev.At, below: below}
				open[ev.AlertID()] = e
				all = append(all, e)
			}
			if ev.State == string(alert.Firing) && e.fired.IsZero() {
				e.fired = ev.At
			}
			if ev.State != string(alert.Missing) {
				e.see(ev.Value)
			}
		case alert.Resolved, alert.OK:
			if e != nil {
				e.end = ev.At
				delete(open, ev.AlertID())
				// The engine saw every point of the episode; a RESOLVED
				// event carries its peak, which a file read back has no
				// samples to find (issue 13: the command said 86.094 where
				// the key said 97.079).
				if ev.State == string(alert.Resolved) && ev.Peak != 0 && !math.IsNaN(ev.Peak) {
					e.peak, e.hasPeak = ev.Peak, true
				}
			}
		}
	}
	var fired []*episode
	for _, e := range all {
		if e.fired.IsZero() {
			continue
		}
		end := e.end
		if end.IsZero() {
			end = now
		}
		if v, ok := s.Series[e.Key]; ok {
			// A bucket of an old stretch offers both its extremes: the
			// peak of a "<" alert is a minimum.
			v.EachBucket(e.start.UnixMilli(), end.UnixMilli()+1, func(b series.Bucket) bool { e.see(b.Max); e.see(b.Min); return true })
		}
		fired = append(fired, e)
	}
	// The engine saw every point; its peak wins for the latest episode.
	for i := len(fired) - 1; i >= 0; i-- {
		e := fired[i]
		if v, ok := views[e.ID]; ok && !v.Since.Before(e.start) {
			e.peak, e.hasPeak = v.Peak, true
			delete(views, e.ID)
		}
	}
	sort.SliceStable(fired, func(i, j int) bool { return fired[i].fired.Before(fired[j].fired) })
	return fired
}

func writeAlerts(b *strings.Builder, eps []*episode, clock string, now time.Time) {
	b.WriteString("\n## Alerts\n\n")
	if len(eps) == 0 {
		b.WriteString("No alert fired.\n")
		return
	}
	b.WriteString("| Rule | Series | Severity | First fired | Resolved | Duration | Peak |\n|---|---|---|---|---|---|---|\n")
	for _, e := range eps {
		resolved, dur := "ongoing", between(e.fired, now)+" so far"
		if !e.end.IsZero() {
			resolved, dur = e.end.UTC().Format(clock), between(e.fired, e.end)
		}
		peak := ""
		if e.hasPeak {
			peak = number(e.peak)
		}
		row(b, e.Rule, e.Key, string(e.severity), e.fired.UTC().Format(clock), resolved, dur, peak)
	}
}

func writeAlarms(b *strings.Builder, s *monitor.Snapshot, events []monitor.Event, clock string, now time.Time) {
	source := map[string]string{}
	for _, a := range s.Alarms {
		source[a.Name.String()] = a.Source
	}
	type spell struct {
		name        string
		since, till time.Time
		to          string
	}
	var spells []*spell
	open := map[string]*spell{}
	for _, ev := range events {
		if ev.Kind != monitor.EventAlarm {
			continue
		}
		if ev.Source != "" && source[ev.Subject] == "" {
			// A timeline read back from a file has no live alarms: each
			// alarm event names its source itself.
			source[ev.Subject] = ev.Source
		}
		sp := open[ev.Subject]
		switch {
		case ev.State == "ALARM" && sp == nil:
			sp = &spell{name: ev.Subject, since: ev.At}
			open[ev.Subject] = sp
			spells = append(spells, sp)
		case ev.State != "ALARM" && sp != nil:
			sp.till, sp.to = ev.At, ev.State
			delete(open, ev.Subject)
		}
	}
	if len(spells) == 0 {
		return
	}
	b.WriteString("\n## External alarms\n\n| Alarm | Source | In alarm | Left alarm | Duration |\n|---|---|---|---|---|\n")
	for _, sp := range spells {
		left, dur := "ongoing", between(sp.since, now)+" so far"
		if !sp.till.IsZero() {
			left, dur = sp.till.UTC().Format(clock)+" ("+sp.to+")", between(sp.since, sp.till)
		}
		row(b, sp.name, source[sp.name], sp.since.UTC().Format(clock), left, dur)
	}
}

func writeEvents(b *strings.Builder, events []monitor.Event, clock string) {
	b.WriteString("\n## Events\n\n| Time (UTC) | Kind | Subject | State | Text | Who |\n|---|---|---|---|---|---|\n")
	for _, ev := range events {
		text := ev.Text
		if ev.Kind == monitor.EventAlert && ev.State != string(alert.Missing) {
			text += ", value " + number(ev.Value)
		}
		row(b, ev.At.UTC().Format(clock), string(ev.Kind), ev.Subject, ev.State, text, ev.Who)
	}
}

// row writes one table row; cells are redacted and cannot break the table.
func row(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		c = strings.ReplaceAll(oneLine(sources.Redact(c)), "|", `\|`)
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// number prints a value the way a person reads it: 97.3, 1200, 0.004.
func number(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// between is the time from one clock shown (cut to the second) to
// another: what a reader gets by subtracting them, never a second off.
func between(from, to time.Time) string {
	return duration(to.Truncate(time.Second).Sub(from.Truncate(time.Second)))
}

func duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
