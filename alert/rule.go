// Package alert evaluates threshold rules over series. It is pure: the
// evaluator is a function of (rule, previous status, recent points, now)
// and returns the new status, so every transition can be table-tested and
// a replay with a fake clock fires exactly when production would.
package alert

import (
	"fmt"
	"time"
)

// Op is a comparison.
type Op string

// The comparisons a rule can use.
const (
	Above        Op = ">"
	AboveOrEqual Op = ">="
	Below        Op = "<"
	BelowOrEqual Op = "<="
)

// Severity orders alerts in the panel and picks the banner colour.
type Severity string

// Severities.
const (
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// NoData says what a rule does when its series has no recent point.
type NoData string

// No-data policies, as CloudWatch alarms name them.
const (
	NoDataState NoData = "nodata" // show NO DATA (the default: silence is not health)
	NoDataOK    NoData = "ok"     // treat missing data as fine
	NoDataAlarm NoData = "alarm"  // treat missing data as breaching
	NoDataKeep  NoData = "keep"   // keep the last state
)

// Rule is one alert rule.
type Rule struct {
	Name      string
	Series    string // a series name ("db.cpu") matches every member's series
	Op        Op
	Threshold float64
	// Clear is the hysteresis threshold: a firing alert resolves only when
	// the value is back past Clear. Nil means the same as Threshold.
	Clear *float64
	// M of the last N points must breach to fire (CloudWatch's
	// "datapoints to alarm"). Zero means 1 of 1.
	M, N int
	// For is how long the condition must hold before PENDING becomes
	// FIRING, on top of M of N.
	For      time.Duration
	Severity Severity
	NoData   NoData
	// NoDataAfter is how old the newest point may get before the series
	// counts as having no data. Zero disables no-data detection.
	NoDataAfter time.Duration
	Runbook     string
}

// Points is the number of recent points the rule needs to look at.
func (r Rule) Points() int {
	_, n := r.mn()
	return n
}

func (r Rule) mn() (int, int) {
	m, n := r.M, r.N
	if n <= 0 {
		n = 1
	}
	if m <= 0 || m > n {
		m = n
	}
	return m, n
}

// Problem is one thing that makes a rule unusable: the field it is about
// ("op", "datapoints", "for", "severity", "nodata", "clear") and a message
// that starts with it.
type Problem struct {
	Field string
	Msg   string
}

func (p Problem) Error() string { return p.Msg }

// Validate reports the first thing that makes a rule unusable.
func (r Rule) Validate() error {
	if ps := r.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems lists everything that makes a rule unusable, so a bad op does
// not hide a bad severity.
func (r Rule) Problems() []Problem {
	var ps []Problem
	bad := func(field, format string, args ...any) {
		ps = append(ps, Problem{field, fmt.Sprintf(format, args...)})
	}
	opOK := true
	switch r.Op {
	case Above, AboveOrEqual, Below, BelowOrEqual:
	default:
		opOK = false
		bad("op", "op %q: use one of > >= < <=", r.Op)
	}
	if r.N < 0 || r.M < 0 || (r.N > 0 && r.M > r.N) {
		bad("datapoints", "datapoints %d of %d: M must be between 1 and N", r.M, r.N)
	}
	if r.For < 0 {
		bad("for", "for %s: must not be negative", r.For)
	}
	switch r.Severity {
	case Warning, Critical:
	default:
		bad("severity", "severity %q: use warning or critical", r.Severity)
	}
	switch r.NoData {
	case NoDataState, NoDataOK, NoDataAlarm, NoDataKeep:
	default:
		bad("nodata", "nodata %q: use ok, alarm, keep or nodata", r.NoData)
	}
	if r.Clear != nil && opOK {
		c := *r.Clear
		if (r.Op == Above || r.Op == AboveOrEqual) && c > r.Threshold ||
			(r.Op == Below || r.Op == BelowOrEqual) && c < r.Threshold {
			bad("clear", "clear %g: must be on the safe side of threshold %g", c, r.Threshold)
		}
	}
	return ps
}

// breaches reports whether v is past the threshold (or, when firing, still
// not back past the clear threshold).
func (r Rule) breaches(v float64, firing bool) bool {
	t := r.Threshold
	if firing && r.Clear != nil {
		t = *r.Clear
		// Past the clear line means resolved; "not yet cleared" is the
		// strict side for > and <, and inclusive for >= and <=.
	}
	switch r.Op {
	case Above:
		return v > t
	case AboveOrEqual:
		return v >= t
	case Below:
		return v < t
	case BelowOrEqual:
		return v <= t
	}
	return false
}

// Describe is the rule as one line: "db.cpu > 80 for 3 of 3".
func (r Rule) Describe() string {
	m, n := r.mn()
	s := fmt.Sprintf("%s %s %g", r.Series, r.Op, r.Threshold)
	if n > 1 {
		s += fmt.Sprintf(" (%d of %d)", m, n)
	}
	if r.For > 0 {
		s += " for " + r.For.String()
	}
	return s
}
