package cwserver

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metric is a metric the server holds. Its raw datapoints come from Value at
// every multiple of Resolution, and from points stored with Put.
type Metric struct {
	Namespace  string
	MetricName string
	Dimensions map[string]string
	// Resolution is how often the metric is published: 60 s for detailed EC2
	// monitoring and most AWS metrics, 300 s for basic EC2 monitoring.
	// Default 60 s.
	Resolution time.Duration
	// Value gives the raw datapoint that covers [t, t+Resolution); ok false
	// means there is none. Nil means only Put points exist.
	Value func(t time.Time) (v float64, ok bool)
	// Delay is how long after its interval ends a generated datapoint
	// becomes visible.
	Delay time.Duration
}

type metric struct {
	Metric
	stored map[int64]float64 // unix seconds -> value, added by Put
}

func metricKey(namespace, name string, dims map[string]string) string {
	var b strings.Builder
	b.WriteString(namespace + "|" + name)
	for _, k := range slices.Sorted(maps.Keys(dims)) {
		b.WriteString("|" + k + "=" + dims[k])
	}
	return b.String()
}

func expressionKey(expr string) string { return "expr|" + expr }

// AddMetric makes a metric exist. Adding it again replaces its definition
// and keeps its stored points.
func (s *Server) AddMetric(m Metric) {
	if m.Resolution <= 0 {
		m.Resolution = time.Minute
	}
	s.add(metricKey(m.Namespace, m.MetricName, m.Dimensions), m)
}

// AddExpression makes a metric math expression answer with m's data; the
// server does not evaluate metric math itself.
func (s *Server) AddExpression(expr string, m Metric) {
	if m.Resolution <= 0 {
		m.Resolution = time.Minute
	}
	s.add(expressionKey(expr), m)
}

func (s *Server) add(key string, m Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.metrics[key]
	nm := &metric{Metric: m, stored: map[int64]float64{}}
	if old != nil {
		nm.stored = old.stored
	}
	s.metrics[key] = nm
}

// Put stores raw datapoints for a metric (creating it if needed). A point
// for an instant that already has one replaces it: that is how a late or
// revised datapoint arrives. Stored points are visible at once.
func (s *Server) Put(namespace, name string, dims map[string]string, t time.Time, values ...float64) {
	key := metricKey(namespace, name, dims)
	s.mu.Lock()
	m := s.metrics[key]
	if m == nil {
		m = &metric{Metric: Metric{Namespace: namespace, MetricName: name, Dimensions: dims, Resolution: time.Minute}, stored: map[int64]float64{}}
		s.metrics[key] = m
	}
	for i, v := range values {
		m.stored[t.Unix()+int64(i)*int64(m.Resolution/time.Second)] = v
	}
	s.mu.Unlock()
}

// raw returns the visible raw values in [from, to).
func (m *metric) raw(from, to, now time.Time) []float64 {
	var out []float64
	res := m.Resolution
	if m.Value != nil {
		for t := from.Truncate(res); t.Before(to); t = t.Add(res) {
			if t.Before(from) || now.Before(t.Add(res+m.Delay)) {
				continue
			}
			if _, ok := m.stored[t.Unix()]; ok {
				continue
			}
			if v, ok := m.Value(t); ok {
				out = append(out, v)
			}
		}
	}
	for ts, v := range m.stored {
		if ts >= from.Unix() && ts < to.Unix() {
			out = append(out, v)
		}
	}
	return out
}

// retention is how long the service keeps data at a period.
func retention(period time.Duration) time.Duration {
	const day = 24 * time.Hour
	switch {
	case period < time.Minute:
		return 3 * time.Hour
	case period < 5*time.Minute:
		return 15 * day
	case period < time.Hour:
		return 63 * day
	}
	return 455 * day
}

// series aggregates m into buckets of period starting at start.
func (m *metric) series(start, end, now time.Time, period time.Duration, stat string) ([]time.Time, []float64) {
	var ts []time.Time
	var vs []float64
	oldest := now.Add(-retention(period))
	for b := start; b.Before(end); b = b.Add(period) {
		if b.Before(oldest) {
			continue
		}
		bend := b.Add(period)
		if bend.After(end) {
			bend = end
		}
		raw := m.raw(b, bend, now)
		if len(raw) == 0 {
			continue
		}
		ts = append(ts, b.UTC())
		vs = append(vs, aggregate(raw, stat))
	}
	return ts, vs
}

func validStat(stat string) bool {
	switch stat {
	case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
		return true
	}
	p, ok := strings.CutPrefix(stat, "p")
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(p, 64)
	return err == nil && f >= 0 && f <= 100
}

func aggregate(raw []float64, stat string) float64 {
	switch stat {
	case "Sum":
		var sum float64
		for _, v := range raw {
			sum += v
		}
		return sum
	case "Minimum":
		return slices.Min(raw)
	case "Maximum":
		return slices.Max(raw)
	case "SampleCount":
		return float64(len(raw))
	case "Average":
		return aggregate(raw, "Sum") / float64(len(raw))
	}
	// pNN: nearest rank.
	p, _ := strconv.ParseFloat(stat[1:], 64)
	sorted := slices.Clone(raw)
	sort.Float64s(sorted)
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// roundStart rounds a StartTime down the way the service does: by the
// request's age, and to the period's division of a minute for high
// resolution periods.
func roundStart(start, now time.Time, period time.Duration) time.Time {
	const day = 24 * time.Hour
	age := now.Sub(start)
	switch {
	case period < time.Minute:
		return start.Truncate(period)
	case age > 63*day:
		return start.Truncate(time.Hour)
	case age > 15*day:
		return start.Truncate(5 * time.Minute)
	}
	return start.Truncate(time.Minute)
}

func validPeriod(p int64) bool {
	switch p {
	case 1, 5, 10, 20, 30:
		return true
	}
	return p > 0 && p%60 == 0
}
