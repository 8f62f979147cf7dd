package ui

import (
	"fmt"
	"math"
	"time"

	"github.com/stormwatch/stormwatch/internal/human"
)

// fmtValue is a reading for humans: "97.3", "1204", "0.42".
func fmtValue(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100000:
		return fmtShort(v)
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 1 || a == 0:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// fmtShort is an axis label: at most five cells ("100", "2.5k", "12M").
func fmtShort(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.div {
			return trimZero(fmt.Sprintf("%.1f", v/u.div)) + u.unit
		}
	}
	if a >= 10 || a == 0 {
		return fmt.Sprintf("%.0f", v)
	}
	return trimZero(fmt.Sprintf("%.1f", v))
}

func trimZero(s string) string { return human.TrimZero(s) }

// niceCeil rounds up to 1, 2 or 5 times a power of ten, so an automatic
// axis reads 0…50 rather than 0…47.3.
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// fmtRange is a duration as a range label: "5m", "90s", "1h", "1h30m".
func fmtRange(d time.Duration) string {
	switch {
	case d < time.Minute || d%time.Minute != 0:
		if d >= time.Minute {
			return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
		}
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour || d%time.Hour != 0:
		if d >= time.Hour {
			return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
		}
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh", int(d/time.Hour))
}

// fmtAge is how long ago something happened: "12s", "2m10s", "1h05m".
func fmtAge(d time.Duration) string {
	d = max(d.Round(time.Second), 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
