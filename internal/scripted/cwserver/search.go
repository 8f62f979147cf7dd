package cwserver

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxSearchResults is how many time series one SEARCH expression returns
// at most.
const MaxSearchResults = 500

// A SEARCH expression is evaluated against the metrics the server holds,
// in the subset of the service's syntax a dashboard needs:
//
//	SEARCH('{AWS/EC2,AutoScalingGroupName,InstanceId} MetricName="CPUUtilization" AutoScalingGroupName="web"', 'Average', 60)
//
// The schema {Namespace,Dim,...} matches metrics of that namespace with
// exactly those dimension names; Key="value" terms match MetricName or a
// dimension exactly; a bare word matches the metric name or any dimension
// value. Every match is its own result: the query's Id, and a Label of its
// own, the matched metric's dimension values in schema order, after the
// query's Label when it has one. At most MaxSearchResults are returned,
// and each counts as a metric requested on the bill.
var searchCall = regexp.MustCompile(`(?is)^\s*SEARCH\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'([A-Za-z0-9.]+)'\s*(?:,\s*(\d+)\s*)?\)\s*$`)

var searchTerm = regexp.MustCompile(`\{[^}]*\}|[A-Za-z0-9_.:/-]+="[^"]*"|[A-Za-z0-9_.:/-]+=[^\s"]+|"[^"]*"|\S+`)

type search struct {
	namespace string
	dims      []string // schema dimension names, in order; nil: no schema
	terms     map[string]string
	words     []string
	stat      string
	period    int64
}

func isSearch(expr string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(expr)), "SEARCH(")
}

func parseSearch(expr string, period *int64) (search, string) {
	m := searchCall.FindStringSubmatch(expr)
	if m == nil {
		return search{}, "Error in expression: SEARCH takes a query string, a statistic and an optional period."
	}
	q := search{stat: m[2], terms: map[string]string{}, period: 300}
	if period != nil {
		q.period = *period
	}
	if m[3] != "" {
		q.period, _ = strconv.ParseInt(m[3], 10, 64)
	}
	if !validStat(q.stat) {
		return search{}, fmt.Sprintf("Error in expression: %s is not a valid statistic.", q.stat)
	}
	for _, t := range searchTerm.FindAllString(strings.ReplaceAll(m[1], `\'`, `'`), -1) {
		switch {
		case strings.HasPrefix(t, "{"):
			parts := strings.Split(strings.Trim(t, "{}"), ",")
			q.namespace = strings.TrimSpace(parts[0])
			for _, d := range parts[1:] {
				q.dims = append(q.dims, strings.TrimSpace(d))
			}
			if q.dims == nil {
				q.dims = []string{}
			}
		case strings.Contains(t, "="):
			k, v, _ := strings.Cut(t, "=")
			q.terms[k] = strings.Trim(v, `"`)
		default:
			q.words = append(q.words, strings.Trim(t, `"`))
		}
	}
	return q, ""
}

func (q search) matches(m *metric) bool {
	if q.dims != nil {
		if m.Namespace != q.namespace || len(m.Dimensions) != len(q.dims) {
			return false
		}
		for _, d := range q.dims {
			if _, ok := m.Dimensions[d]; !ok {
				return false
			}
		}
	}
	for k, v := range q.terms {
		switch {
		case k == "MetricName" && m.MetricName != v:
			return false
		case k == "Namespace" && m.Namespace != v:
			return false
		case k != "MetricName" && k != "Namespace" && m.Dimensions[k] != v:
			return false
		}
	}
	for _, w := range q.words {
		if m.MetricName != w && !slices.Contains(valuesOf(m.Dimensions), w) {
			return false
		}
	}
	return true
}

func valuesOf(d map[string]string) []string {
	out := make([]string, 0, len(d))
	for _, v := range d {
		out = append(out, v)
	}
	return out
}

// label is a result's Label: the dimension values in schema order (all of
// them, by name, without a schema), after the query's own label.
func (q search) label(m *metric, prefix string) string {
	names := q.dims
	if names == nil {
		names = slices.Sorted(func(yield func(string) bool) {
			for k := range m.Dimensions {
				if !yield(k) {
					return
				}
			}
		})
	}
	var vals []string
	for _, n := range names {
		vals = append(vals, m.Dimensions[n])
	}
	l := strings.Join(vals, " ")
	if prefix != "" {
		l = prefix + " " + l
	}
	return l
}

// searchAnswers evaluates one SEARCH query into its results.
func (s *Server) searchAnswers(mq metricDataQuery, in *getMetricDataInput, now time.Time) ([]answer, string) {
	q, msg := parseSearch(*mq.Expression, mq.Period)
	if msg != "" {
		return nil, msg
	}
	if !validPeriod(q.period) {
		return nil, fmt.Sprintf("The value %d for parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.", q.period)
	}
	prefix := ""
	if mq.Label != nil {
		prefix = *mq.Label
	}
	period := time.Duration(q.period) * time.Second
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k, m := range s.metrics {
		if !strings.HasPrefix(k, "expr|") && q.matches(m) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = keys[:min(len(keys), MaxSearchResults)]
	out := make([]answer, 0, len(keys))
	for _, k := range keys {
		m := s.metrics[k]
		a := answer{id: mq.ID, label: q.label(m, prefix)}
		start := roundStart(in.StartTime.UTC(), now, period)
		a.ts, a.vs = m.series(start, in.EndTime.UTC(), now, period, q.stat)
		if in.ScanBy != "TimestampAscending" {
			slices.Reverse(a.ts)
			slices.Reverse(a.vs)
		}
		out = append(out, a)
	}
	return out, ""
}
