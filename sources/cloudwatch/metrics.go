package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/text"
)

const (
	maxQueriesPerCall = 500
	// maxPages guards against a service (or a bug) that never stops
	// returning NextToken.
	maxPages = 1000
)

// pollMetrics fetches the window every query still needs, batch by batch.
// A batch that fails leaves its queries' state as it was, so the next poll
// asks for that range again; batches that succeeded keep their samples.
func (s *Source) pollMetrics(ctx context.Context, now time.Time) ([]series.Sample, error) {
	var active []*query
	for i := range s.queries {
		if q := &s.queries[i]; q.rejected == "" && (q.metric.NameTag == "" || q.metric.Dimensions["InstanceId"] != "") {
			active = append(active, &s.queries[i])
		}
	}
	if len(active) == 0 {
		return nil, nil
	}
	start, end := s.window(active, now)
	if !start.Before(end) {
		return nil, nil
	}
	var out []series.Sample
	var odd []error
	for lo := 0; lo < len(active); lo += maxQueriesPerCall {
		batch := active[lo:min(lo+maxQueriesPerCall, len(active))]
		got, err := s.fetch(ctx, batch, start, end)
		var bad *oddReply
		switch {
		case errors.As(err, &bad):
			odd = append(odd, err)
		case err != nil:
			return out, errors.Join(append(odd, err)...)
		}
		for _, q := range batch {
			if bad != nil && (bad.ids[q.id] || got[q.id] == nil) {
				continue // asked again next poll: its state stays as it was
			}
			out = append(out, q.takeAll(got[q.id], end)...)
			if q.search {
				s.usage.metrics += max(len(got[q.id]), 1) - 1 // billed per result
			}
		}
	}
	return out, errors.Join(odd...)
}

// oddReply is a GetMetricData reply that is well-formed but not a plain
// answer: results under Ids that were not asked (an emulator that answered
// "Q0" for "q0"), a status other than Complete or PartialData, or
// messages. The results that are fine are kept; the rest is the source's
// error, never dropped while the source reads ok.
type oddReply struct {
	source string
	what   []string
	ids    map[string]bool // asked Ids whose result cannot be used
}

func (e *oddReply) Error() string {
	return fmt.Sprintf("get metric data %s: %v: %s", e.source, errOddReply, strings.Join(e.what, "; "))
}

func (e *oddReply) Unwrap() error { return errOddReply }

func (e *oddReply) add(id, format string, args ...any) {
	if len(e.what) < 3 {
		e.what = append(e.what, text.Clean(fmt.Sprintf(format, args...)).String())
	} else if len(e.what) == 3 {
		e.what = append(e.what, "…")
	}
	if id != "" {
		e.ids[id] = true
	}
}

// check sorts one reply page's results into usable and odd.
func (e *oddReply) check(out *cwsdk.GetMetricDataOutput, asked map[string]*query) []types.MetricDataResult {
	var ok []types.MetricDataResult
	for _, m := range out.Messages {
		e.add("", "message %s: %s", aws.ToString(m.Code), aws.ToString(m.Value))
	}
	for _, r := range out.MetricDataResults {
		id := aws.ToString(r.Id)
		q := asked[id]
		switch {
		case q == nil:
			e.add("", "a result for Id %q, which was not asked", id)
		case r.StatusCode != types.StatusCodeComplete && r.StatusCode != types.StatusCodePartialData:
			e.add(id, "series %s: status %q", q.metric.Series, string(r.StatusCode))
		case len(r.Messages) > 0:
			m := r.Messages[0]
			e.add(id, "series %s: %s: %s", q.metric.Series, aws.ToString(m.Code), aws.ToString(m.Value))
		default:
			ok = append(ok, r)
		}
	}
	return ok
}

// window is the range one poll asks for. The end is now rounded down to the
// smallest period, so a bucket still filling is not read. The start goes back
// from where each query was last read by that query's overlap (at least two
// periods of its actual resolution, and its publishing delay), never further
// than Window, and is aligned so every period's buckets fall on clock
// boundaries. One range serves all queries because the price is per metric
// per call, not per datapoint.
func (s *Source) window(active []*query, now time.Time) (start, end time.Time) {
	minPeriod := active[0].metric.Period
	for _, q := range active {
		minPeriod = min(minPeriod, q.metric.Period)
	}
	end = now.Truncate(minPeriod)
	oldest := end.Add(-s.cfg.Window)
	start = end
	for _, q := range active {
		from := oldest
		if !q.through.IsZero() {
			step := max(q.metric.Period, q.resolution)
			if f := q.through.Add(-max(2*step, q.metric.Delay)); f.After(oldest) {
				from = f
			}
		}
		if from.Before(start) {
			start = from
		}
	}
	return start.Truncate(s.align), end
}

type points struct {
	ts []time.Time
	vs []float64
}

// fetch runs one GetMetricData sequence (following NextToken) for a batch
// and merges the pages by Id and Label: the service repeats an Id on the
// next page when it cut that query short, and a SEARCH returns many
// results under one Id, one Label each.
func (s *Source) fetch(ctx context.Context, batch []*query, start, end time.Time) (map[string]map[string]*points, error) {
	in := &cwsdk.GetMetricDataInput{
		MetricDataQueries: make([]types.MetricDataQuery, len(batch)),
		StartTime:         aws.Time(start),
		EndTime:           aws.Time(end),
		ScanBy:            types.ScanByTimestampAscending,
	}
	for i, q := range batch {
		in.MetricDataQueries[i] = q.sdkQuery()
	}
	search := map[string]bool{}
	asked := map[string]*query{}
	for _, q := range batch {
		search[q.id] = q.search
		asked[q.id] = q
	}
	odd := &oddReply{source: s.cfg.Name, ids: map[string]bool{}}
	got := map[string]map[string]*points{}
	for page := 0; page < maxPages; page++ {
		s.usage.calls++
		s.usage.metrics += len(batch)
		out, err := s.client.GetMetricData(ctx, in)
		if err != nil {
			return nil, s.classify("get metric data", "cloudwatch:GetMetricData", err, batch)
		}
		for _, r := range odd.check(out, asked) {
			id, label := aws.ToString(r.Id), ""
			if search[id] {
				label = aws.ToString(r.Label)
			}
			if got[id] == nil {
				got[id] = map[string]*points{}
			}
			p := got[id][label]
			if p == nil {
				p = &points{}
				got[id][label] = p
			}
			n := min(len(r.Timestamps), len(r.Values))
			p.ts = append(p.ts, r.Timestamps[:n]...)
			p.vs = append(p.vs, r.Values[:n]...)
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(odd.what) > 0 {
		return got, odd
	}
	return got, nil
}

func (q query) sdkQuery() types.MetricDataQuery {
	m := q.metric
	secs := aws.Int32(int32(m.Period / time.Second))
	sq := types.MetricDataQuery{Id: aws.String(q.id), ReturnData: aws.Bool(true)}
	if m.Label != "" {
		sq.Label = aws.String(m.Label)
	}
	if m.Expression != "" {
		sq.Expression = aws.String(m.Expression)
		sq.Period = secs
		return sq
	}
	var dims []types.Dimension
	for _, k := range slices.Sorted(maps.Keys(m.Dimensions)) {
		dims = append(dims, types.Dimension{Name: aws.String(k), Value: aws.String(m.Dimensions[k])})
	}
	sq.MetricStat = &types.MetricStat{
		Metric: &types.Metric{Namespace: aws.String(m.Namespace), MetricName: aws.String(m.MetricName), Dimensions: dims},
		Period: secs,
		Stat:   aws.String(m.Stat),
	}
	return sq
}

// takeAll records what a fetch returned for q: one series, or one per
// label for a SEARCH.
func (q *query) takeAll(byLabel map[string]*points, end time.Time) []series.Sample {
	if !q.search {
		return q.take(byLabel[""], end, q.metric.Series, &q.newest)
	}
	q.through = end
	var out []series.Sample
	for _, label := range slices.Sorted(maps.Keys(byLabel)) {
		member := memberOf(q, label)
		newest := q.newestBy[member]
		out = append(out, q.take(byLabel[label], end, series.Key(q.metric.Series, member), &newest)...)
		q.newestBy[member] = newest
		q.newest = max(q.newest, newest) // for "data as of"
	}
	return out
}

// take records what a fetch returned for q and returns the points not
// emitted before (newer than *newest, which it advances) under key. A point is emitted once: a late point for an instant
// already emitted (a revised value) is ignored, because series are
// append-only. A bucket that ends after the window's end is still filling
// and is left for a later poll.
func (q *query) take(p *points, end time.Time, key string, newest *int64) []series.Sample {
	q.through = end
	if p == nil || len(p.ts) == 0 {
		return nil
	}
	idx := make([]int, len(p.ts))
	for i := range idx {
		idx[i] = i
	}
	// ScanBy ascending should make this a no-op; merged pages and a
	// service that ignores ScanBy must not produce out-of-order series.
	sort.SliceStable(idx, func(a, b int) bool { return p.ts[idx[a]].Before(p.ts[idx[b]]) })
	var out []series.Sample
	var prev time.Time
	spacing := time.Duration(0)
	for _, i := range idx {
		t := p.ts[i].UTC()
		if !prev.IsZero() {
			if d := t.Sub(prev); d > 0 && (spacing == 0 || d < spacing) {
				spacing = d
			}
		}
		prev = t
		ms := t.UnixMilli()
		if ms <= *newest || t.Add(q.metric.Period).After(end) {
			continue
		}
		out = append(out, series.Sample{Key: key, Point: series.Point{T: ms, V: p.vs[i]}})
		*newest = ms
	}
	if spacing > 0 {
		q.resolution = spacing
	}
	return out
}
