package cloudwatch

import (
	"strings"

	"github.com/stormwatch/stormwatch/text"
)

// A SEARCH expression returns many time series from one query: every EC2
// instance of an Auto Scaling group, every target group of a load balancer,
// up to 500 of them. GetMetricData returns each as its own MetricDataResult
// with the expression's Id and a Label of its own (by default the metric's
// dimension values; the expression's Label, when set, comes first). So the
// results of one query are told apart by Label, and each becomes its own
// series, "main.cpu@i-0abc...", instead of being merged by Id into one
// line that jumps between instances.

// maxSearchResults is how many time series one SEARCH returns at most.
const maxSearchResults = 500

// isSearch says whether an expression is a SEARCH, whose results are many.
func isSearch(expr string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(expr)), "SEARCH(")
}

// memberOf is the series member a search result's Label names: sanitised
// (the label holds dimension values, which anyone who can publish a metric
// chooses) and without the configured label's prefix, which every result
// of the query shares.
func memberOf(q *query, label string) string {
	if p := q.metric.Label; p != "" {
		label = strings.TrimPrefix(strings.TrimPrefix(label, p), " ")
	}
	m := text.Clean(strings.TrimSpace(label)).String()
	if m == "" {
		m = "(no label)"
	}
	return m
}
