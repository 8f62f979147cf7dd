// Package verdict says, in one line a person can read out on a call,
// whether an incident is a traffic spike (more requests, the same work per
// request) or a query regression (more database work per request), from
// the API's request rate and the database's work counters. It is pure: the
// engine hands it series views and times and gets a Verdict back.
package verdict

import (
	"fmt"
	"slices"
	"time"

	"github.com/stormwatch/stormwatch/series"
)

// Config holds the thresholds and windows. The zero value means the
// defaults.
type Config struct {
	// Baseline is the window before the onset that "before" means
	// (default 10 minutes); Window is the recent stretch that "now" means
	// (default 1 minute).
	Baseline, Window time.Duration
	// TrafficUp is the request-rate ratio that counts as a traffic rise
	// (default 1.5); WorkUp the work-per-request ratio that counts as a
	// regression (default 2). Below Steady (default 1.5) work per request
	// is "steady".
	TrafficUp, WorkUp, Steady float64
	// Requests is the request series' name, for the words (default
	// main.requests).
	Requests string
}

// WithDefaults fills in the zero fields.
func (c Config) WithDefaults() Config {
	if c.Baseline <= 0 {
		c.Baseline = 10 * time.Minute
	}
	if c.Window <= 0 {
		c.Window = time.Minute
	}
	if c.TrafficUp <= 0 {
		c.TrafficUp = 1.5
	}
	if c.WorkUp <= 0 {
		c.WorkUp = 2
	}
	if c.Steady <= 0 {
		c.Steady = 1.5
	}
	if c.Requests == "" {
		c.Requests = DefaultRequests
	}
	return c
}

// Input is what one judgement looks at.
type Input struct {
	Onset, Now time.Time
	// Requests is the request series (a count per period); Configured
	// says whether any source was asked for it, which changes what the
	// verdict tells the user to do when it is empty.
	Requests   series.View
	Configured bool
	// Work are the docs-examined-per-request series, one per member; the
	// one that rose most speaks for the database.
	Work []series.View
	// LastWeek is the request series' median over the now window a week
	// earlier, in the series' own units; 0 when unknown.
	LastWeek float64
	// Shapes are the sampled query shapes (each with its per-sample
	// Counts), the candidates for the shape the regression names. Their
	// Share and Before are ignored: Judge takes both from the Counts, over
	// the same window as the work figure and over the baseline.
	Shapes []Shape
	// NoShapes is what to say when Shapes is empty (default "no query
	// shape sampled yet"); a replay says its recording has none.
	NoShapes string
}

// Shape is the top query shape as the verdict names it.
type Shape struct {
	Text     string  // "cctv.events find {camera_id, ts}"
	App      string  // "server-c"
	Collscan bool    // its plan scans the collection
	Share    float64 // of sampled active time now, 0..1
	Before   float64 // the same in the baseline, 0..1; -1 when not sampled then
	// Counts are the profiler's samples of this shape, oldest first.
	Counts []Count
}

// Count is one sample of the query-shape profiler: N of the Total active
// operations had the shape.
type Count struct {
	At       time.Time
	N, Total int
}

// Kind is the verdict's headline.
type Kind string

// Verdict kinds.
const (
	None       Kind = "none"
	Load       Kind = "load"
	Regression Kind = "regression"
	Both       Kind = "load+regression"
)

// Ratio is a median now against a median before.
type Ratio struct {
	Before, Now float64
	OK          bool
	// From and To are the stretch of time the now median covers: from
	// the start of its oldest point's period to the end of its newest's.
	From, To time.Time
}

// X is the factor now/before.
func (r Ratio) X() float64 {
	if !r.OK || r.Before <= 0 {
		return 0
	}
	return r.Now / r.Before
}

// Verdict is one judgement.
type Verdict struct {
	Kind     Kind
	Onset    time.Time
	Requests Ratio
	Work     Ratio
	LastWeek float64 // now over last week's rate; 0 unknown
	Shape    *Shape
	Missing  string // why a half of the evidence is absent, and what to do
	NoShape  string // why Shape is nil, when the regression would name one
	cfg      Config
}

// Judge compares the window before the onset with the recent window and
// names the cause.
func Judge(cfg Config, in Input) Verdict {
	cfg = cfg.WithDefaults()
	v := Verdict{Kind: None, Onset: in.Onset, cfg: cfg}
	period := Period(in.Requests)
	last, have := in.Requests.Last()
	switch {
	case !have && !in.Configured:
		v.Missing = fmt.Sprintf("no request series: add a CloudWatch metric with series: %s (an ALB's RequestCount, stat Sum) to compare traffic with DB work", cfg.Requests)
	case !have:
		v.Missing = fmt.Sprintf("no data yet from %s", cfg.Requests)
	case period > 0 && in.Now.Sub(last.Time().Add(period)) > staleAfter(period):
		v.Missing = fmt.Sprintf("%s is stale (newest point %s old)", cfg.Requests, age(in.Now.Sub(last.Time())))
	default:
		v.Requests = compare(in.Requests, in.Onset, cfg)
		switch {
		case v.Requests.OK:
		case last.T < in.Onset.UnixMilli():
			v.Missing = fmt.Sprintf("waiting for %s after %s", cfg.Requests, clock(in.Onset))
		default:
			v.Missing = fmt.Sprintf("not enough of %s before %s", cfg.Requests, clock(in.Onset))
		}
	}
	if v.Missing == "" {
		for _, w := range in.Work {
			if r := compare(w, in.Onset, cfg); r.OK && (!v.Work.OK || r.X() > v.Work.X()) {
				v.Work = r
			}
		}
		if !v.Work.OK {
			v.Missing = "no DB work per request yet (needs serverStatus metrics.queryExecutor)"
		}
	}
	if v.Work.OK {
		v.Shape, v.NoShape = topShape(in, v.Work, cfg)
	}
	if v.Requests.OK && in.LastWeek > 0 {
		v.LastWeek = v.Requests.Now / in.LastWeek
	}
	traffic := v.Requests.OK && v.Requests.X() >= cfg.TrafficUp
	regression := v.Work.OK && v.Work.X() >= cfg.WorkUp
	switch {
	case traffic && regression:
		v.Kind = Both
	case traffic:
		v.Kind = Load
	case regression:
		v.Kind = Regression
	}
	return v
}

// staleAfter is how late a request point may be: CloudWatch publishes a
// period's Sum a minute or two after it ends.
func staleAfter(period time.Duration) time.Duration { return 3*period + 2*time.Minute }

// compare takes the median of the points in the baseline before the
// onset and of the newest Window of points. Medians, not means: one
// sample across a counter reset or a scrape hiccup moves neither.
func compare(v series.View, onset time.Time, cfg Config) Ratio {
	last, ok := v.Last()
	if !ok {
		return Ratio{}
	}
	before := values(v, onset.Add(-cfg.Baseline).UnixMilli(), onset.UnixMilli())
	now := values(v, last.T-cfg.Window.Milliseconds()+1, last.T+1)
	if len(before) < 2 || len(now) < 1 || last.T < onset.UnixMilli() {
		return Ratio{}
	}
	b, n := median(before), median(now)
	if b <= 0 {
		return Ratio{}
	}
	period := Period(v)
	if period <= 0 {
		period = cfg.Window
	}
	from := last.Time()
	v.Each(last.T-cfg.Window.Milliseconds()+1, last.T+1, func(p series.Point) bool {
		from = p.Time()
		return false
	})
	return Ratio{Before: b, Now: n, OK: true, From: from, To: last.Time().Add(period)}
}

// values are the points in [from, to); past the store's raw tier each
// bucket gives its median, the value a median of medians should read (its
// maximum would lift the baseline).
func values(v series.View, from, to int64) []float64 {
	var out []float64
	v.EachBucket(from, to, func(b series.Bucket) bool {
		if b.Mid >= 0 {
			out = append(out, b.Mid)
		}
		return true
	})
	return out
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// LastWeekLevel is the median of a week-ago series (already shifted a
// week forward) over the same now window as the request series': the
// divisor of "x2.9 of last week". The window is at least one of the
// week-ago series' periods (a week back CloudWatch has minutes, not
// seconds). 0 when it has no point there.
func LastWeekLevel(cfg Config, lastWeek, requests series.View) float64 {
	cfg = cfg.WithDefaults()
	last, ok := requests.Last()
	if !ok {
		return 0
	}
	span := max(cfg.Window, Period(lastWeek))
	vs := values(lastWeek, last.T-span.Milliseconds()+1, last.T+1)
	if len(vs) == 0 {
		return 0
	}
	return median(vs)
}
