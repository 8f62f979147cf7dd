package ui

import (
	"fmt"
	"math"

	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/sources"
)

// cellText formats one typed table cell by its column's kind. A text cell
// in a numeric column (a recording made before rows were typed) is shown
// as it is.
func cellText(k sources.Kind, c sources.Cell) string {
	switch {
	case c.None:
		return "–"
	case !c.Text.IsEmpty() || !k.Numeric():
		return c.Text.String()
	}
	v := c.Num
	switch k {
	case sources.Count:
		return fmtCount(v)
	case sources.Bytes:
		return human.Bytes(v)
	case sources.Seconds:
		return fmtSecs(v)
	case sources.Percent:
		return fmt.Sprintf("%.0f%%", v)
	case sources.MsPerSec:
		return fmtMs(v)
	case sources.PerHour:
		return fmtGrowth(v)
	case sources.Flag:
		if v != 0 {
			return "yes"
		}
		return ""
	}
	return fmtValue(v)
}

// fmtCount is a count as "3.7M", "820k", "96k", "999".
func fmtCount(v float64) string {
	a := math.Abs(v)
	switch {
	case a < 1000:
		return fmt.Sprintf("%.0f", v)
	case a < 10_000:
		return trimZero(fmt.Sprintf("%.1f", v/1e3)) + "k"
	case a < 1e6:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a < 1e7:
		return trimZero(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a < 1e9:
		return fmt.Sprintf("%.0fM", v/1e6)
	default:
		return trimZero(fmt.Sprintf("%.1f", v/1e9)) + "G"
	}
}

// fmtGrowth is a signed per-hour change: "+52k", "-1.2k", "0".
func fmtGrowth(v float64) string {
	r := math.Round(v)
	switch {
	case r == 0:
		return "0"
	case r > 0:
		return "+" + fmtCount(r)
	default:
		return fmtCount(r)
	}
}

// fmtSecs is a running time: tenths under ten seconds, whole seconds
// under two minutes, then minutes.
func fmtSecs(s float64) string {
	switch {
	case s <= 0:
		return "0s"
	case s < 0.01:
		return "<0.01s"
	case s < 0.1:
		return fmt.Sprintf("%.2fs", s)
	case s < 10:
		return fmt.Sprintf("%.1fs", s)
	case s < 120:
		return fmt.Sprintf("%.0fs", math.Floor(s))
	default:
		return fmt.Sprintf("%dm%02ds", int(s)/60, int(s)%60)
	}
}

// fmtMs is milliseconds per second: one decimal under ten.
func fmtMs(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}
