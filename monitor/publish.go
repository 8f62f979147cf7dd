package monitor

import (
	"sort"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Subscribe returns a channel that always holds the newest snapshot: a
// viewer that reads slowly skips snapshots instead of slowing the engine
// (timeline events are never lost, they travel in every snapshot). The
// channel starts with the current snapshot. Call cancel when done.
func (e *Engine) Subscribe() (<-chan *Snapshot, func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := make(chan *Snapshot, 1)
	id := e.nextSub
	e.nextSub++
	e.subs[id] = ch
	ch <- e.last
	return ch, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.subs, id)
	}
}

// Snapshot returns the newest snapshot.
func (e *Engine) Snapshot() *Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.last
}

func (e *Engine) publishLocked() {
	e.seq++
	now := e.clock.Now()
	e.capLocked()
	s := &Snapshot{
		Seq:      e.seq,
		At:       now,
		Label:    e.cfg.Label,
		TimeNote: e.cfg.TimeNote,
		Series:   make(map[string]series.View, len(e.store)),
		Sources:  make([]SourceHealth, len(e.health)),
		Timeline: e.timeline[:len(e.timeline):len(e.timeline)],
		Marks:    e.marks[:len(e.marks):len(e.marks)],
		Dropped:  e.dropped,
		Viewers:  e.viewers[:len(e.viewers):len(e.viewers)],
		Verdict:  e.vd.cur,
	}
	for k, r := range e.store {
		s.Series[k] = r.View()
	}
	copy(s.Sources, e.health)
	for _, av := range e.statuses {
		if av.State == alert.OK || av.State == alert.Resolved && now.Sub(av.Since) > e.cfg.ResolvedFor {
			continue
		}
		s.Alerts = append(s.Alerts, *av)
	}
	sortAlerts(s.Alerts)
	for _, h := range e.health {
		for _, a := range e.alarms[h.Name] {
			s.Alarms = append(s.Alarms, e.alarmViewLocked(h.Name, a))
		}
		s.Tables = append(s.Tables, e.tables[h.Name]...)
	}
	sort.SliceStable(s.Alarms, func(i, j int) bool { return s.Alarms[i].Since.After(s.Alarms[j].Since) })
	e.last = s
	for _, ch := range e.subs {
		select {
		case <-ch: // drop the unread older snapshot
		default:
		}
		ch <- s
	}
}

var stateRank = map[alert.State]int{alert.Firing: 0, alert.Pending: 1, alert.Missing: 2, alert.Resolved: 3, alert.OK: 4}

func sortAlerts(a []AlertView) {
	sort.Slice(a, func(i, j int) bool {
		ri, rj := stateRank[a[i].State], stateRank[a[j].State]
		if ri != rj {
			return ri < rj
		}
		if a[i].Severity != a[j].Severity {
			return a[i].Severity == alert.Critical
		}
		if !a[i].Since.Equal(a[j].Since) {
			return a[i].Since.After(a[j].Since)
		}
		return a[i].Rule+"|"+a[i].Key < a[j].Rule+"|"+a[j].Key
	})
}

// Ack acknowledges an alert: the bell stops for it until it is raised
// again after it was over.
// Only a firing or pending alert can be acked: an ack says somebody is on
// it, and nobody is paged for an alert that is over.
func (e *Engine) Ack(id alert.ID, who string) bool {
	return e.act(id, func(av *AlertView) bool { return av.Active() }, func(av *AlertView, now time.Time) Event {
		av.AckedBy, av.AckedAt = who, now
		return Event{At: now, Kind: EventAck, Subject: av.ID().Subject(), Rule: av.Rule, Key: av.Key, Who: who, Text: "acknowledged"}
	})
}

// silencedFor is the timeline's text for a silence of d, written as the
// s menu offers it: "15m", "1h", not Go's "15m0s".
func silencedFor(d time.Duration) string { return "silenced for " + human.Duration(d) }

// Silence mutes an alert's bell and banner for d; d <= 0 unsilences it.
func (e *Engine) Silence(id alert.ID, d time.Duration, who string) bool {
	return e.act(id, nil, func(av *AlertView, now time.Time) Event {
		if d <= 0 {
			av.SilencedUntil = time.Time{}
			return Event{At: now, Kind: EventSilence, Subject: av.ID().Subject(), Rule: av.Rule, Key: av.Key, Who: who, Text: "unsilenced"}
		}
		av.SilencedUntil = now.Add(d)
		return Event{At: now, Kind: EventSilence, Subject: av.ID().Subject(), Rule: av.Rule, Key: av.Key, Who: who, Text: silencedFor(d)}
	})
}

// act applies f to the alert id when it exists and allowed (nil: always)
// says so, and records f's event.
func (e *Engine) act(id alert.ID, allowed func(*AlertView) bool, f func(*AlertView, time.Time) Event) bool {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	av := e.statuses[id]
	if av == nil || (allowed != nil && !allowed(av)) {
		return false
	}
	e.timeline = append(e.timeline, f(av, now))
	e.publishLocked()
	return true
}

// Note adds a free-text line to the timeline. Both texts come from an
// operator (maybe over SSH), so they arrive cleaned.
func (e *Engine) Note(note, who text.Safe) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.timeline = append(e.timeline, Event{At: now, Kind: EventNote, Text: note.String(), Who: who.String()})
	e.publishLocked()
}

// Mark annotates the current instant on every graph and in the timeline.
func (e *Engine) Mark(label, who text.Safe) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.marks = append(e.marks, sources.Mark{At: now, Label: label})
	e.timeline = append(e.timeline, Event{At: now, Kind: EventMark, Text: label.String(), Who: who.String()})
	e.publishLocked()
}

// Warn records a problem outside the sources (a hook that keeps failing, a
// timeline file that cannot be written) on the timeline, where the viewer
// shows it. It never blocks for long: the engine lock is held only to
// append.
func (e *Engine) Warn(subject, msg string) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.timeline = append(e.timeline, Event{At: now, Kind: EventWarning, State: "warning", Subject: subject, Text: text.Clean(sources.Redact(msg)).String()})
	e.publishLocked()
}
