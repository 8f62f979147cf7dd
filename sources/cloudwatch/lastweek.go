package cloudwatch

import (
	"context"
	"time"

	"github.com/stormwatch/stormwatch/series"
)

// weekAgo is how far back "the same window last week" is.
const weekAgo = 7 * 24 * time.Hour

// LastWeekSuffix names a metric's week-ago series: main.requests.last_week.
const LastWeekSuffix = ".last_week"

// lastWeekPeriod is the finest period CloudWatch keeps for a week: data
// under 60 s is kept 3 hours, 60 s data 15 days.
const lastWeekPeriod = time.Minute

// pollLastWeek fetches, for the metrics marked LastWeek, the blocks of
// LastWeekWindow covering the visible history (Window) a week earlier,
// each block once: one GetMetricData call for every block not fetched yet
// (counted in the cost fact like any other). The points come back shifted
// a week forward, so the block's later points are ahead of now until now
// reaches them; a graph draws only up to now.
//
// A Sum is scaled from the 60 s period back to the metric's own, so last
// week's line reads in the same unit as this week's.
func (s *Source) pollLastWeek(ctx context.Context, now time.Time) ([]series.Sample, error) {
	var batch []*query
	for i := range s.queries {
		q := &s.queries[i]
		if q.metric.LastWeek && q.rejected == "" && !q.search && (q.metric.NameTag == "" || q.metric.Dimensions["InstanceId"] != "") {
			m := q.metric
			m.Period = max(m.Period, lastWeekPeriod)
			batch = append(batch, &query{id: "lw_" + q.id, metric: m, newestBy: map[string]int64{}})
		}
	}
	if len(batch) == 0 {
		return nil, nil
	}
	if s.lastWeekDone == nil {
		s.lastWeekDone = map[int64]bool{}
	}
	block := s.cfg.LastWeekWindow
	var from, to time.Time
	for b := now.Add(-s.cfg.Window).Truncate(block); !b.After(now); b = b.Add(block) {
		if s.lastWeekDone[b.UnixMilli()] {
			continue
		}
		if from.IsZero() {
			from = b
		}
		to = b.Add(block)
	}
	if from.IsZero() {
		return nil, nil
	}
	got, err := s.fetch(ctx, batch, from.Add(-weekAgo), to.Add(-weekAgo))
	if err != nil {
		return nil, err
	}
	for b := from; b.Before(to); b = b.Add(block) {
		s.lastWeekDone[b.UnixMilli()] = true
	}
	for t := range s.lastWeekDone {
		if t < now.Add(-s.cfg.Window-block).UnixMilli() {
			delete(s.lastWeekDone, t)
		}
	}
	var out []series.Sample
	for i, q := range batch {
		p := got[q.id][""]
		if p == nil {
			continue
		}
		scale := 1.0
		if q.metric.Stat == "Sum" {
			own := s.queries[0].metric.Period
			for _, orig := range s.queries {
				if "lw_"+orig.id == batch[i].id {
					own = orig.metric.Period
				}
			}
			scale = own.Seconds() / q.metric.Period.Seconds()
		}
		for j, t := range p.ts {
			out = append(out, series.Sample{Key: q.metric.Series + LastWeekSuffix, Point: series.At(t.UTC().Add(weekAgo), p.vs[j]*scale)})
		}
	}
	return out, nil
}
