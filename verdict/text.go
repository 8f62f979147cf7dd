package verdict

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Line is the verdict in the words of a call: the headline, the factor and
// since when, and what to do.
func (v Verdict) Line() string {
	load := fmt.Sprintf("LOAD: API requests %s since %s", times(v.Requests.X()), clock(v.Onset))
	if v.LastWeek > 0 {
		load += fmt.Sprintf(" (%s of last week)", times(v.LastWeek))
	}
	switch v.Kind {
	case Load:
		work := "steady"
		if v.Work.X() >= v.cfg.Steady {
			work = times(v.Work.X())
		}
		return load + "; DB work per request " + work + " -> scale or shed load"
	case Regression:
		return v.regression()
	case Both:
		return load + " -> scale or shed load | " + v.regression()
	}
	var parts []string
	if v.Requests.OK {
		parts = append(parts, "API requests "+times(v.Requests.X()))
	}
	if v.Work.OK {
		parts = append(parts, "DB docs examined per request "+times(v.Work.X()))
	}
	s := "no clear cause yet"
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ") + " since " + clock(v.Onset)
	}
	if v.Missing != "" {
		s += "; " + v.Missing
	}
	return s
}

func (v Verdict) regression() string {
	s := fmt.Sprintf("QUERY REGRESSION: DB docs examined per request %s since %s", times(v.Work.X()), clock(v.Onset))
	sh := v.Shape
	if sh == nil || sh.Text == "" {
		if v.NoShape == "" {
			return s + "; no query shape sampled yet"
		}
		return s + "; " + v.NoShape
	}
	s += "; top shape " + sh.Text
	if sh.Collscan {
		s += " COLLSCAN"
	}
	if sh.App != "" {
		s += " by " + sh.App
	}
	if sh.Before < 0 {
		return s + fmt.Sprintf(", %s of active time (not sampled before)", pct(sh.Share))
	}
	return s + fmt.Sprintf(", %s of active time (%s before)", pct(sh.Share), pct(sh.Before))
}

// times is a factor as people say it: x3.1, x12.
func times(x float64) string {
	switch {
	case x <= 0 || math.IsNaN(x) || math.IsInf(x, 0):
		return "x?"
	case x < 10:
		return fmt.Sprintf("x%.1f", x)
	}
	return fmt.Sprintf("x%.0f", x)
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// clock is the onset as the timeline shows it, in UTC.
func clock(t time.Time) string { return t.UTC().Format("15:04:05") }

func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}
