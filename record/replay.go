package record

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Replay is a Source that plays a recording back: each poll returns the
// samples whose time the clock has passed since the last poll. Recorded
// alert transitions are not replayed (the engine recomputes them from the
// samples with today's rules); recorded marks come back as marks, recorded
// CloudWatch alarm changes as the alarm list, and notes through Notes.
type Replay struct {
	rec      *Recording
	now      func() time.Time
	from, to time.Time

	sample, event, table, member int
	alarms                       map[string]sources.Alarm
	ended                        bool

	// Notes receives the recorded notes as the replay reaches them (the
	// CLI adds them to the engine's timeline). Optional.
	Notes func(note, who text.Safe)
	// End is called once, from Poll, when the replay passes To.
	End func()
}

// NewReplay plays rec between from and to (zero for its start and end) on
// the clock now.
func NewReplay(rec *Recording, now func() time.Time, from, to time.Time) *Replay {
	if from.IsZero() || from.Before(rec.Start()) {
		from = rec.Start()
	}
	if to.IsZero() || to.After(rec.End()) {
		to = rec.End()
	}
	return &Replay{rec: rec, now: now, from: from.UTC(), to: to.UTC(), alarms: map[string]sources.Alarm{}}
}

// From is where the replay starts.
func (r *Replay) From() time.Time { return r.from }

// To is where it ends.
func (r *Replay) To() time.Time { return r.to }

// Name is the replay's source name.
func (r *Replay) Name() string { return "replay" }

// Poll returns what the recording holds between the previous poll and now.
func (r *Replay) Poll(ctx context.Context) (sources.Result, error) {
	if err := ctx.Err(); err != nil {
		return sources.Result{}, err
	}
	now := r.now()
	until := now
	if until.After(r.to) {
		until = r.to
	}
	var res sources.Result
	for ; r.sample < len(r.rec.Samples); r.sample++ {
		s := r.rec.Samples[r.sample]
		if s.Point.T > until.UnixMilli() {
			break
		}
		if s.Point.T >= r.from.UnixMilli() {
			res.Samples = append(res.Samples, s)
		}
	}
	alarmsChanged := r.replayEvents(until, &res)
	for ; r.table < len(r.rec.Tables) && !r.rec.Tables[r.table].At.After(until); r.table++ {
		res.Tables = r.rec.Tables[r.table].Tables
	}
	for ; r.member < len(r.rec.Members) && !r.rec.Members[r.member].At.After(until); r.member++ {
		res.Members = r.rec.Members[r.member].Members
	}
	if alarmsChanged {
		res.Alarms = r.alarmList()
	}
	res.Facts = []sources.Fact{{Key: "replay", Value: text.Clean(progress(until.Sub(r.from), r.to.Sub(r.from)))}}
	if !now.Before(r.to) && !r.ended {
		r.ended = true
		if r.End != nil {
			r.End()
		}
	}
	return res, nil
}

// replayEvents hands on the recorded events up to until and reports
// whether an external alarm changed.
func (r *Replay) replayEvents(until time.Time, res *sources.Result) bool {
	changed := false
	for ; r.event < len(r.rec.Events) && !r.rec.Events[r.event].At.After(until); r.event++ {
		ev := r.rec.Events[r.event]
		if ev.At.Before(r.from) && ev.Kind != monitor.EventAlarm {
			continue
		}
		switch ev.Kind {
		case monitor.EventMark:
			label := ev.Text
			if ev.Who != "" && ev.Who != ev.Source {
				label += " (" + ev.Who + ")"
			}
			res.Marks = append(res.Marks, sources.Mark{At: ev.At, Label: text.Clean(label)})
		case monitor.EventNote:
			if r.Notes != nil {
				r.Notes(text.Clean(ev.Text), text.Clean(ev.Who))
			}
		case monitor.EventAlarm:
			r.alarms[ev.Subject] = sources.Alarm{Name: text.Clean(ev.Subject), State: text.Clean(ev.State).String(), Reason: text.Clean(ev.Text), Since: ev.At}
			changed = true
		}
	}
	return changed
}

func (r *Replay) alarmList() []sources.Alarm {
	out := make([]sources.Alarm, 0, len(r.alarms))
	for _, a := range r.alarms {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name.String() < out[j].Name.String() })
	return out
}

// Schedule polls as often as the fastest recorded source was polled, so
// alert rules see the same points at the same times.
func (r *Replay) Schedule() sources.Schedule {
	interval := time.Second
	for i, s := range r.rec.Header.Sources {
		if d := s.Interval(); d > 0 && (i == 0 || d < interval) {
			interval = d
		}
	}
	return sources.Schedule{Interval: interval, Timeout: interval / 2}
}

func progress(at, of time.Duration) string {
	f := func(d time.Duration) string {
		d = max(d, 0).Truncate(time.Second)
		return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
	}
	return f(min(at, of)) + " of " + f(of)
}
