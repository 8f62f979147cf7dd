package verdict

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/series"
)

var (
	start = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	onset = start.Add(20 * time.Minute)
	now   = start.Add(30 * time.Minute)
)

// world is a synthetic incident: an ALB request count per minute (a
// CloudWatch Sum, published two minutes late) and the DB's documents
// examined per second, built from a request rate and a work per request
// that each step up at the onset.
type world struct {
	reqBefore, reqAfter   float64      // requests per second
	workBefore, workAfter float64      // docs examined per request
	reqUntil, from        time.Time    // request points from (default start) until
	at                    time.Time    // the judgement's now (default now)
	gap                   [2]time.Time // no docs-examined point in [from, to): a counter reset
	negative              time.Time    // one bogus negative rate at this second
}

func (w world) requests() series.View {
	var pts []series.Point
	from := w.from
	if from.IsZero() {
		from = start
	}
	for t := from; !t.After(w.reqUntil.Add(-time.Minute)); t = t.Add(time.Minute) {
		v := w.reqBefore
		if !t.Before(onset) {
			v = w.reqAfter
		}
		pts = append(pts, series.At(t, v*60))
	}
	return series.ViewOf(pts...)
}

func (w world) docsExamined() series.View {
	var pts []series.Point
	for t := start.Add(time.Second); !t.After(now); t = t.Add(time.Second) {
		if !t.Before(w.gap[0]) && t.Before(w.gap[1]) {
			continue
		}
		r, k := w.reqBefore, w.workBefore
		if !t.Before(onset) {
			r, k = w.reqAfter, w.workAfter
		}
		v := r * k
		if t.Equal(w.negative) {
			v = -1e6
		}
		pts = append(pts, series.At(t, v))
	}
	return series.ViewOf(pts...)
}

func (w world) input(configured bool) Input {
	req := w.requests()
	derived := series.ViewOf(PerRequest(req.Tail(req.Len()), Period(req), w.docsExamined(), 0)...)
	at := w.at
	if at.IsZero() {
		at = now
	}
	return Input{Onset: onset, Now: at, Requests: req, Configured: configured, Work: []series.View{derived}}
}

// profile is a synthetic query-shape profiler: a sample every 10 s from
// the start, with server-c's scan at 50% long before the onset (outside
// the baseline), 4% in the baseline, 71% from the onset until it is
// paused, and none after; api-main's indexed find is the rest. Samples
// stop at quiet (when not zero).
func profile(paused, quiet time.Time) []Shape {
	scan := Shape{Text: "cctv.events find {camera_id, ts}", App: "server-c", Collscan: true}
	find := Shape{Text: "app.orders find {user_id}", App: "api-main"}
	for t := start; !t.After(now); t = t.Add(10 * time.Second) {
		if !quiet.IsZero() && !t.Before(quiet) {
			break
		}
		n, total := 50, 100
		switch {
		case !paused.IsZero() && !t.Before(paused):
			n, total = 0, 30
		case !t.Before(onset):
			n, total = 71, 100
		case !t.Before(onset.Add(-10 * time.Minute)):
			n, total = 1, 25
		}
		scan.Counts = append(scan.Counts, Count{At: t, N: n, Total: total})
		find.Counts = append(find.Counts, Count{At: t, N: total - n, Total: total})
	}
	return []Shape{find, scan}
}

func TestJudge(t *testing.T) {
	until := now.Add(-2 * time.Minute) // CloudWatch's usual delay
	tests := []struct {
		name       string
		w          world
		configured bool
		noRequests bool
		shapes     []Shape // default profile(zero, zero)
		noShapes   string
		kind       Kind
		line       string
	}{
		{name: "traffic triples and work per request holds: load",
			w:    world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: until},
			kind: Load, line: "LOAD: API requests x3.0 since 10:20:00; DB work per request steady -> scale or shed load"},
		{name: "work per request rises twelvefold on flat traffic: query regression",
			w:    world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			kind: Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; top shape cctv.events find {camera_id, ts} COLLSCAN by server-c, 71% of active time (4% before)"},
		{name: "both rise: both clauses, traffic first",
			w:    world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 60, reqUntil: until},
			kind: Both, line: "LOAD: API requests x3.0 since 10:20:00 -> scale or shed load | QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; top shape"},
		{name: "neither rises: no clear cause, with the factors",
			w:    world{reqBefore: 800, reqAfter: 880, workBefore: 5, workAfter: 5.5, reqUntil: until},
			kind: None, line: "no clear cause yet: API requests x1.1, DB docs examined per request x1.1 since 10:20:00"},
		{name: "no request series configured: says how to add one",
			w:          world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			noRequests: true, kind: None,
			line: "no clear cause yet; no request series: add a CloudWatch metric with series: main.requests (an ALB's RequestCount, stat Sum)"},
		{name: "request series configured but silent",
			w:          world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			noRequests: true, configured: true, kind: None,
			line: "no clear cause yet; no data yet from main.requests"},
		{name: "request series stale: no verdict on old traffic",
			w:    world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: onset.Add(2 * time.Minute)},
			kind: None, line: "no clear cause yet; main.requests is stale (newest point 9m old)"},
		{name: "no request point since the onset yet: says it is waiting",
			w:    world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: onset, at: onset.Add(90 * time.Second)},
			kind: None, line: "no clear cause yet; waiting for main.requests after 10:20:00"},
		{name: "a request series that starts at the onset has no baseline",
			w:    world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: until, from: onset},
			kind: None, line: "no clear cause yet; not enough of main.requests before 10:20:00"},
		{name: "a counter reset inside the now window changes nothing",
			w: world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: until,
				gap: [2]time.Time{now.Add(-150 * time.Second), now.Add(-140 * time.Second)}, negative: now.Add(-170 * time.Second)},
			kind: Load, line: "LOAD: API requests x3.0 since 10:20:00; DB work per request steady"},
		{name: "a counter reset inside the baseline changes nothing",
			w: world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until,
				gap: [2]time.Time{onset.Add(-5 * time.Minute), onset.Add(-4 * time.Minute)}, negative: onset.Add(-3 * time.Minute)},
			kind: Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00"},
		// The work figure is the median of the newest derived points, which
		// lag behind now (here the request minute 10:27-10:28): the shape
		// is measured over that stretch, not over the profiler's now.
		{name: "the shape named is the busiest while the work figure was measured, not the busiest now",
			w:      world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			shapes: profile(now.Add(-90*time.Second), time.Time{}),
			kind:   Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; top shape cctv.events find {camera_id, ts} COLLSCAN by server-c, 71% of active time (4% before)"},
		{name: "no sample while the work figure was measured: says between when",
			w:      world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			shapes: profile(time.Time{}, onset.Add(time.Minute)),
			kind:   Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; no query shape sampled between 10:27:00 and 10:28:00"},
		{name: "no shape at all",
			w:      world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			shapes: []Shape{},
			kind:   Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; no query shape sampled yet"},
		{name: "a recording without shapes says so",
			w:      world{reqBefore: 800, reqAfter: 800, workBefore: 5, workAfter: 60, reqUntil: until},
			shapes: []Shape{}, noShapes: "the recording has no query shapes",
			kind: Regression, line: "QUERY REGRESSION: DB docs examined per request x12 since 10:20:00; the recording has no query shapes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.w.input(tt.configured)
			if tt.noRequests {
				in.Requests, in.Work = series.View{}, nil
			}
			in.Shapes, in.NoShapes = tt.shapes, tt.noShapes
			if in.Shapes == nil && in.NoShapes == "" {
				in.Shapes = profile(time.Time{}, time.Time{})
			}
			v := Judge(Config{}, in)
			if v.Kind != tt.kind {
				t.Errorf("kind %s, want %s (%s)", v.Kind, tt.kind, v.Line())
			}
			if got := v.Line(); !strings.HasPrefix(got, tt.line) {
				t.Errorf("line\n got %q\nwant %q...", got, tt.line)
			}
		})
	}
}

func TestLastWeekIsTheRateNowOverTheRateThen(t *testing.T) {
	in := world{reqBefore: 800, reqAfter: 2400, workBefore: 5, workAfter: 5, reqUntil: now.Add(-2 * time.Minute)}.input(true)
	in.LastWeek = 46500 // 775 requests/s, as a Sum per minute
	v := Judge(Config{}, in)
	if want := "LOAD: API requests x3.0 since 10:20:00 (x3.1 of last week); DB work"; !strings.HasPrefix(v.Line(), want) {
		t.Errorf("got %q, want %q...", v.Line(), want)
	}
}

func TestPerRequest(t *testing.T) {
	sec := func(s int) int64 { return start.Add(time.Duration(s) * time.Second).UnixMilli() }
	req := []series.Point{{T: sec(0), V: 10}, {T: sec(1), V: 20}, {T: sec(2), V: 0}, {T: sec(3), V: 10}}
	tests := []struct {
		name  string
		work  []series.Point
		after int64
		want  []series.Point
	}{
		{name: "one work point per 1 s period",
			work: []series.Point{{T: sec(0) + 500, V: 100}, {T: sec(1) + 400, V: 100}, {T: sec(2) + 300, V: 50}, {T: sec(3) + 200, V: 40}, {T: sec(4) + 100, V: 1}},
			want: []series.Point{{T: sec(0), V: 10}, {T: sec(1), V: 5}, {T: sec(3), V: 4}}},
		{name: "a period the work series has not covered yet waits",
			work: []series.Point{{T: sec(0) + 500, V: 100}, {T: sec(1) + 400, V: 100}},
			want: []series.Point{{T: sec(0), V: 10}}},
		{name: "points at or before after are not derived again",
			work:  []series.Point{{T: sec(0) + 500, V: 100}, {T: sec(1) + 400, V: 100}, {T: sec(2) + 300, V: 50}},
			after: sec(0), want: []series.Point{{T: sec(1), V: 5}}},
		{name: "a period without a work point borrows the next one",
			work: []series.Point{{T: sec(1) + 100, V: 100}, {T: sec(2) + 100, V: 80}},
			want: []series.Point{{T: sec(0), V: 10}, {T: sec(1), V: 5}}},
		{name: "a negative rate (a reset a source let through) is no work",
			work: []series.Point{{T: sec(0) + 500, V: -1e9}, {T: sec(1) + 400, V: 100}},
			want: []series.Point{{T: sec(0), V: 10}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PerRequest(req, time.Second, series.ViewOf(tt.work...), tt.after)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("point %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLastWeekLevelIsTheMedianOverTheNowWindow(t *testing.T) {
	w := world{reqBefore: 800, reqAfter: 2400, reqUntil: now.Add(-2 * time.Minute)}
	req := w.requests()
	var pts []series.Point
	for tm := start; tm.Before(now.Add(time.Hour)); tm = tm.Add(time.Minute) {
		pts = append(pts, series.At(tm, 780*60))
	}
	if got := LastWeekLevel(Config{}, series.ViewOf(pts...), req); got != 780*60 {
		t.Errorf("got %v, want 46800", got)
	}
	if got := LastWeekLevel(Config{}, series.View{}, req); got != 0 {
		t.Errorf("no last week: got %v", got)
	}
}
