package verdict

import (
	"time"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// Series names the verdict reads and the engine derives, after the MongoDB
// source's name ("db"). DocsExamined and KeysExamined are per-second rates
// the MongoDB source emits from metrics.queryExecutor; the per-request
// series are derived from them and the request series, because only the
// engine sees both sources.
// They are the catalogue's (sources/catalog), named here for the verdict.
const (
	DocsExamined           = catalog.DocsExamined
	KeysExamined           = catalog.KeysExamined
	OpsTotal               = catalog.OpsTotal
	DocsExaminedPerRequest = catalog.DocsExaminedPerRequest
	OpsPerRequest          = catalog.OpsPerRequest
)

// LastWeekSuffix names the week-ago copy of a series, shifted a week
// forward so it lines up with now (the CloudWatch source's
// LastWeekSuffix).
const LastWeekSuffix = ".last_week"

// DefaultRequests is the request series the verdict divides by unless the
// configuration names another: the API's request count, a CloudWatch Sum
// per period (an ALB's RequestCount).
const DefaultRequests = catalog.MainRequests

// Derived maps a work series' name (after the source prefix) to the
// per-request series derived from it.
var Derived = map[string]string{DocsExamined: DocsExaminedPerRequest, OpsTotal: OpsPerRequest}

// Period is the spacing of a request series' points: the median of its
// last gaps, since CloudWatch stamps each Sum at the start of its period.
// Zero when there are fewer than two points.
func Period(requests series.View) time.Duration {
	return time.Duration(series.Spacing(requests.Tail(9))) * time.Millisecond
}

// PerRequest derives per-request points from a work rate (per second) and
// a request count per period. Each request point R counts the requests of
// [R.T, R.T+period); the derived point, stamped R.T, is the mean work rate
// over that period divided by the requests per second. It returns the
// points for request points newer than after whose period the work series
// already covers (a work point at or past its end), so a caller may call
// it after every poll of either source, in any order, and append what it
// returns.
//
// A period with no requests, or whose work points are all missing (the
// source dropped them across a counter reset), gives no point: a gap, not
// a guess. A work point covering the period from just after it (a rate is
// measured over the interval before its stamp) stands in for a period
// with no point of its own, so a 1 s period polled every second has no
// holes from jitter.
func PerRequest(requests []series.Point, period time.Duration, work series.View, after int64) []series.Point {
	p := period.Milliseconds()
	last, ok := work.Last()
	if p <= 0 || !ok {
		return nil
	}
	var out []series.Point
	for _, r := range requests {
		if r.T <= after {
			continue
		}
		if last.T < r.T+p {
			break // the work series has not covered this period yet
		}
		if r.V <= 0 {
			continue
		}
		sum, n := 0.0, 0
		work.Each(r.T, r.T+p, func(w series.Point) bool {
			if w.V >= 0 {
				sum, n = sum+w.V, n+1
			}
			return true
		})
		if n == 0 {
			work.Each(r.T+p, r.T+2*p, func(w series.Point) bool {
				if w.V >= 0 {
					sum, n = w.V, 1
				}
				return false
			})
		}
		if n == 0 {
			continue
		}
		perSec := r.V / period.Seconds()
		out = append(out, series.Point{T: r.T, V: sum / float64(n) / perSec})
	}
	return out
}
