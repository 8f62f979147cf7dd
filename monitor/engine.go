// Package monitor is the one engine between the sources and the viewers: it
// owns a goroutine per source, the bounded series store and the alert
// statuses, and publishes immutable snapshots to any number of
// subscribers. Polling never waits for a viewer.
package monitor

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/verdict"
)

// SourceSpec is a source and its schedule.
type SourceSpec struct {
	Source   sources.Source
	Schedule sources.Schedule
}

// Config is everything the engine runs.
type Config struct {
	Sources []SourceSpec
	Rules   []alert.Rule
	// Store is how much of each series is kept at which resolution
	// (zero: series.DefaultLayout, a constant size per series).
	Store series.Layout
	Clock Clock
	Label string
	// TimeNote says what the engine's clock is when it is not the wall
	// clock ("scenario time, demo at 10x"); exports say it.
	TimeNote string
	// ResolvedFor is how long a resolved alert stays in the list.
	ResolvedFor time.Duration
	// Verdict sets the request series and the windows of the traffic or
	// regression verdict; RequestsPolled says a source was configured to
	// emit the request series (the verdict's advice differs when none is).
	Verdict        verdict.Config
	RequestsPolled bool
	// Recorded says the sources replay a recording, which carries no
	// query shapes: the verdict says so rather than "not sampled yet".
	Recorded bool
	// MaxEvents and MaxMarks cap the timeline and the marks kept in memory
	// (default DefaultMaxEvents, DefaultMaxMarks); the oldest go first and
	// are counted in Snapshot.Dropped.
	MaxEvents, MaxMarks int
	// Log receives each poll at debug level with its timing, and at info
	// level a source's state changes, retries and slow polls (nil: none).
	Log *slog.Logger
}

// Engine is the running pipeline.
type Engine struct {
	cfg   Config
	clock Clock

	mu    sync.Mutex
	store map[string]*series.Ring
	owner map[string]string // series key -> source name
	// lag is how old each series' newest point already was when it
	// arrived: CloudWatch stamps a point with the start of its period and
	// publishes it a period (or more) later.
	lag      map[string]time.Duration
	health   []SourceHealth
	statuses map[alert.ID]*AlertView
	alarms   map[string][]sources.Alarm
	// alarmMarks are the acks and silences of external alarms.
	alarmMarks map[AlarmID]*alarmMark
	tables     map[string][]sources.Table
	timeline   []Event
	marks      []sources.Mark
	dropped    Dropped
	seq        uint64
	last       *Snapshot
	subs       map[int]chan *Snapshot
	nextSub    int
	viewers    []string // one entry per SSH session, sorted
	vd         verdictState
	swept      time.Time // the last sweepLocked
}

// New builds an engine; Run starts it.
func New(cfg Config) *Engine {
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Store.Raw == 0 && cfg.Store.RawMax == 0 {
		cfg.Store = series.DefaultLayout
	}
	cfg.MaxEvents = sources.OrDefault(cfg.MaxEvents, DefaultMaxEvents)
	cfg.MaxMarks = sources.OrDefault(cfg.MaxMarks, DefaultMaxMarks)
	cfg.ResolvedFor = sources.OrDefault(cfg.ResolvedFor, 30*time.Minute)
	e := &Engine{
		cfg:        cfg,
		clock:      cfg.Clock,
		store:      map[string]*series.Ring{},
		owner:      map[string]string{},
		lag:        map[string]time.Duration{},
		statuses:   map[alert.ID]*AlertView{},
		alarms:     map[string][]sources.Alarm{},
		alarmMarks: map[AlarmID]*alarmMark{},
		tables:     map[string][]sources.Table{},
		subs:       map[int]chan *Snapshot{},
		vd:         verdictState{shapes: map[string]*shapeLog{}},
	}
	for i := range cfg.Sources {
		cfg.Sources[i].Schedule = cfg.Sources[i].Schedule.WithDefaults()
	}
	e.cfg = cfg
	start := e.clock.Now()
	for _, s := range cfg.Sources {
		e.health = append(e.health, SourceHealth{Name: s.Source.Name(), Interval: s.Schedule.Interval,
			Timeout: s.Schedule.Timeout, State: Starting, Since: start})
	}
	e.publishLocked()
	return e
}

// Clock returns the engine's clock.
func (e *Engine) Clock() Clock { return e.clock }

// Run polls every source on its own goroutine and re-evaluates time-based
// alert conditions once a second, until ctx is cancelled. It returns only
// after every goroutine it started has stopped.
func (e *Engine) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i, spec := range e.cfg.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.pollLoop(ctx, i, spec)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-e.clock.After(time.Second):
				e.Tick()
			}
		}
	}()
	wg.Wait()
}

func (e *Engine) pollLoop(ctx context.Context, i int, spec SourceSpec) {
	sched := spec.Schedule
	for {
		// The timeout is wall time even under a scaled clock: it bounds real
		// network I/O, which a faster replay does not make any faster.
		pctx, cancel := context.WithTimeout(ctx, sched.Timeout)
		start := time.Now()
		res, err := safePoll(pctx, spec.Source)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil && errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, sources.ErrTimeout) {
			err = errors.Join(sources.ErrTimeout, err)
		}
		wait, prev := e.ingest(i, res, err)
		e.logPoll(spec, res, err, time.Since(start), wait, prev)
		select {
		case <-ctx.Done():
			return
		case <-e.clock.After(wait):
		}
	}
}

// safePoll turns a panic inside a source into an error: one bad reply must
// never take the dashboard down.
func safePoll(ctx context.Context, s sources.Source) (res sources.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("internal error in source (please report): " + strings.TrimSpace(sprint(r)))
		}
	}()
	return s.Poll(ctx)
}

// Ingest records the result of one poll of source i and returns how long to
// wait before the next poll (the interval, or a backoff after failures).
// Tests call it directly to drive the engine with a fake clock.
func (e *Engine) Ingest(i int, res sources.Result, err error) time.Duration {
	wait, _ := e.ingest(i, res, err)
	return wait
}

// ingest is Ingest, also returning the source's state before this poll.
func (e *Engine) ingest(i int, res sources.Result, err error) (time.Duration, HealthState) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	spec := e.cfg.Sources[i]
	name := spec.Source.Name()
	h := &e.health[i]
	h.Polls++
	for _, s := range res.Samples {
		r := e.store[s.Key]
		if r == nil {
			r = series.NewTiered(e.cfg.Store)
			e.store[s.Key] = r
			e.owner[s.Key] = name
		}
		if r.Append(s.Point) {
			e.lag[s.Key] = max(now.Sub(s.Point.Time()), 0)
		}
	}
	e.sweepLocked(now)
	if res.Members != nil {
		h.Members = res.Members
	}
	if res.Facts != nil {
		h.Facts = res.Facts
	}
	if res.Tables != nil {
		tables := slices.Clone(res.Tables)
		for i := range tables {
			tables[i].Source = name
		}
		e.tables[name] = tables
	}
	if res.Shapes != nil {
		e.addShapesLocked(name, res.Shapes, now)
	}
	if res.Alarms != nil {
		e.updateAlarmsLocked(name, res.Alarms, now)
	}
	for _, m := range res.Marks {
		e.marks = append(e.marks, m)
		e.timeline = append(e.timeline, Event{At: m.At, Kind: EventMark, Subject: name, Text: m.Label.String(), Who: name, Source: name})
	}
	interval := spec.Schedule.Interval
	wait := interval
	prev := h.State
	if err != nil {
		if prev != Failing {
			h.Since = now
		}
		h.State = Failing
		h.Failures++
		h.Err = text.Clean(sources.Redact(err.Error())).String()
		h.Class = sources.Class(err)
		h.Hint = sources.Hint(err)
		wait = backoff(interval, spec.Schedule.MaxBackoff, h.Failures)
		if prev != Failing {
			e.timeline = append(e.timeline, Event{At: now, Kind: EventSource, State: "error", Subject: name, Text: h.Err, Source: name})
		}
	} else {
		if prev == Failing {
			e.timeline = append(e.timeline, Event{At: now, Kind: EventSource, State: "ok", Subject: name, Text: "recovered", Source: name})
		}
		if prev != Healthy {
			h.Since = now
		}
		h.State, h.Failures, h.Err, h.Class, h.Hint = Healthy, 0, "", "", ""
		h.LastOK = now
	}
	h.NextPoll = now.Add(wait)
	e.deriveLocked()
	e.evaluateLocked(now)
	e.updateVerdictLocked(now)
	e.publishLocked()
	return wait, prev
}

func backoff(interval, max time.Duration, failures int) time.Duration {
	if max <= 0 {
		max = 30 * interval
	}
	// ±20% jitter so several stormwatch instances do not retry in step.
	return sources.Jitter(sources.Backoff(interval, max, failures), 0.2)
}

// Tick re-evaluates alerts whose state can change with time alone (for,
// no data) and publishes a snapshot if anything changed.
func (e *Engine) Tick() {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.evaluateLocked(now) {
		e.updateVerdictLocked(now)
		e.publishLocked()
	}
}

// evaluateLocked runs every rule over every series it matches and records
// transitions; it reports whether any status changed.
func (e *Engine) evaluateLocked(now time.Time) bool {
	changed := false
	for _, r := range e.cfg.Rules {
		keys := e.matchingKeys(r.Series)
		if len(keys) == 0 {
			keys = []string{r.Series} // no series yet: watch for "never any data"
		} else if keys[0] != r.Series || len(keys) > 1 {
			// Member series have appeared: the placeholder goes, and if
			// it had fired (no data at all), it says it resolved.
			placeholder := alert.ID{Rule: r.Name, Key: r.Series}
			if av := e.statuses[placeholder]; av != nil {
				if av.Active() {
					ev := alertEvent(r, placeholder, now, alert.Resolved)
					ev.Peak = av.Peak
					e.timeline = append(e.timeline, ev)
					changed = true
				}
				delete(e.statuses, placeholder)
			}
		}
		for _, k := range keys {
			rule := r
			if rule.NoDataAfter == 0 {
				rule.NoDataAfter = e.noDataAfter(k)
			}
			id := alert.ID{Rule: r.Name, Key: k}
			av := e.statuses[id]
			if av == nil {
				av = &AlertView{Status: alert.Start(r, k, now), Condition: r.Describe(), Runbook: r.Runbook}
				e.statuses[id] = av
			}
			n := rule.Points()
			var tail []series.Point
			if ring := e.store[k]; ring != nil {
				// Past the raw tier a datapoint is a bucket: read as its
				// worst value for the rule, so it never hides a breach.
				pick := series.Bucket.Top
				if r.Op == alert.Below || r.Op == alert.BelowOrEqual {
					pick = series.Bucket.Low
				}
				v := ring.View()
				tail = v.TailOf(n+newSince(v, av.LastT), pick)
			}
			// A poll can bring several new points (CloudWatch publishes
			// late and unevenly; a source comes back from backoff). Each
			// new point gets its own evaluation, at its own time, so an M
			// of N window that ends before the newest point still fires.
			// Points older than the no-data window are history (the first
			// poll's backfill): they are never replayed as transitions.
			oldest := now.Add(-rule.NoDataAfter).UnixMilli()
			for j := 0; j < len(tail)-1; j++ {
				p := tail[j]
				if p.T <= av.LastT || p.T < oldest {
					continue
				}
				changed = e.applyLocked(r, k, av, alert.Evaluate(rule, av.Status, tail[max(0, j+1-n):j+1], p.Time())) || changed
			}
			recent := tail
			if len(recent) > n {
				recent = recent[len(recent)-n:]
			}
			changed = e.applyLocked(r, k, av, alert.Evaluate(rule, av.Status, recent, now)) || changed
		}
	}
	return changed
}

// maxCatchUp bounds how many new points of one series are evaluated one by
// one in a single round.
const maxCatchUp = 64

// newSince is how many of v's points are newer than t, at most maxCatchUp:
// the rules read those and the N before them, not N+maxCatchUp every
// round (at fleet scale that was ~0.5 MB of garbage a poll).
func newSince(v series.View, t int64) int {
	k := 0
	v.Each(t+1, math.MaxInt64, func(series.Point) bool {
		k++
		return k < maxCatchUp
	})
	return k
}

// applyLocked stores an alert's next status and records a transition.
func (e *Engine) applyLocked(r alert.Rule, key string, av *AlertView, next alert.Status) bool {
	changed := next != av.Status
	if next.State != av.State {
		if next.Active() && !av.Active() {
			// A new incident: whoever acked the last one has not seen
			// this one. An ack while pending holds when it fires.
			av.AckedBy, av.AckedAt = "", time.Time{}
		}
		ev := alertEvent(r, next.ID(), next.Since, next.State)
		ev.Value, ev.Peak = next.Value, next.Peak
		e.timeline = append(e.timeline, ev)
	}
	av.Status = next
	return changed
}

func (e *Engine) matchingKeys(pattern string) []string {
	var keys []string
	for k := range e.store {
		if series.Matches(pattern, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// noDataAfter is how old a series' newest point may get before its rules
// see NO DATA: three polls of its source, or three of the series' own
// spacing when its points come less often than the source polls (5-minute
// basic EC2 monitoring polled every minute), plus the lag its points
// already have on arrival. A single slow poll, or CloudWatch's usual
// publishing delay, never flips an alert to NO DATA.
func (e *Engine) noDataAfter(key string) time.Duration {
	owner := e.owner[key]
	d := 3 * time.Second
	for _, s := range e.cfg.Sources {
		if s.Source.Name() == owner && 3*s.Schedule.Interval > d {
			d = 3 * s.Schedule.Interval
		}
	}
	if r := e.store[key]; r != nil {
		// The median of the last three gaps: one long gap (an outage that
		// just ended) must not stretch the window for the next outage.
		if spacing := time.Duration(series.Spacing(r.View().Tail(4))) * time.Millisecond; 3*spacing > d {
			d = 3 * spacing
		}
	} else {
		// No series yet (a rule waiting for its first point). Once every
		// source has either failed or delivered twice (a rate needs two
		// samples), nothing is coming: NO DATA after the usual 3 s. Until
		// then, give the slowest source its first poll, so a slow start is
		// not NO DATA.
		if e.everySourceAnsweredLocked() {
			return d
		}
		for _, s := range e.cfg.Sources {
			if w := 3*s.Schedule.Interval + s.Schedule.Timeout; w > d {
				d = w
			}
		}
	}
	return d + e.lag[key]
}

// everySourceAnsweredLocked reports whether every source is failing or has
// had two good polls.
func (e *Engine) everySourceAnsweredLocked() bool {
	for _, h := range e.health {
		if h.State == Starting || h.State == Healthy && h.Polls < 2 {
			return false
		}
	}
	return true
}

func sprint(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "panic"
}

// alertEvent is the timeline entry of an alert's transition to state.
func alertEvent(r alert.Rule, id alert.ID, at time.Time, state alert.State) Event {
	return Event{At: at, Kind: EventAlert, Severity: r.Severity, State: string(state),
		Subject: id.Subject(), Text: r.Describe(), Rule: id.Rule, Key: id.Key, Op: r.Op}
}
