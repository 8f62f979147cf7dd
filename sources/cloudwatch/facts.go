package cloudwatch

import (
	"fmt"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// costPerMetric is the GetMetricData price: $0.01 per 1,000 metrics
// requested, whatever the time range.
const costPerMetric = 0.01 / 1000

// facts says how fresh and how fine each series is, and what this session
// has cost so far.
func (s *Source) facts(now time.Time) []sources.Fact {
	var out []sources.Fact
	for _, q := range s.queries {
		if q.rejected != "" {
			out = append(out, sources.Fact{Key: q.metric.Series, Value: text.Clean("rejected by CloudWatch: " + q.rejected)})
			continue
		}
		v := "no data yet"
		if tag := q.metric.NameTag; tag != "" && q.metric.Dimensions["InstanceId"] == "" {
			out = append(out, sources.Fact{Key: q.metric.Series, Value: text.Clean("waiting for the instance tagged " + tag)})
			continue
		}
		if q.newest != 0 {
			v = "data as of " + time.UnixMilli(q.newest).UTC().Format("15:04") + " UTC"
		} else if !q.through.IsZero() {
			v = "no data in the last " + span(s.cfg.Window)
		}
		if q.search {
			v += fmt.Sprintf(", %d series from SEARCH", len(q.newestBy))
		}
		if q.resolution > 0 {
			v += ", " + strings.ReplaceAll(span(q.resolution), " ", "-") + " resolution"
		} else {
			v += ", " + strings.ReplaceAll(span(q.metric.Period), " ", "-") + " period"
		}
		if tag := q.metric.NameTag; tag != "" {
			// The status line shows one fact, most often this one: it
			// says which instance the name stands for.
			v = tag + " (" + q.metric.Dimensions["InstanceId"] + "): " + v
		}
		out = append(out, sources.Fact{Key: q.metric.Series, Value: text.Clean(v)})
	}
	out = append(out, s.lookupFacts()...)
	if len(s.queries) > 0 {
		out = append(out, sources.Fact{Key: "api usage", Value: text.Clean(fmt.Sprintf(
			"%d GetMetricData calls, %d metrics requested, est. $%.4f this session",
			s.usage.calls, s.usage.metrics, float64(s.usage.metrics)*costPerMetric))})
	}
	if !s.holdUntil.IsZero() && now.Before(s.holdUntil) {
		out = append(out, sources.Fact{Key: "throttled", Value: text.Clean("next call at " + s.holdUntil.Format("15:04:05") + " UTC")})
	}
	return out
}

// span writes 300 s as "5 min" and 3 h as "3 h".
func span(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", d/time.Second)
}
