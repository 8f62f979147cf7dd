// Package human formats numbers for people: the one owner of how a size
// in bytes, a count, a one-decimal figure and a duration read, for the sources' notes,
// the ui's cells and the sentences of the DB actions alike.
//
// Two forms, for two places: a cell is narrow and lines up in a column, so
// Bytes is compact ("41.2GB", "310MB": no space, no ".0", whole numbers
// from 100 up); a sentence reads "all 3.7 M documents (2.1 GB)", so
// BytesInText and CountInText put a space before the unit and keep one
// decimal once scaled. Both scale by the same steps of 1000.
package human

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var (
	byteUnits  = []string{"B", "kB", "MB", "GB", "TB", "PB"}
	countUnits = []string{"", "k", "M", "G", "T", "P"}
)

// scale divides v by 1000 while it is 1000 or more (in size) and a larger
// unit is left: the figure and the index of its unit.
func scale(v float64, units []string) (float64, int) {
	i := 0
	for math.Abs(v) >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return v, i
}

// Bytes is a size in decimal units for a cell, as "41.2GB", "310MB".
func Bytes(v float64) string {
	v, i := scale(v, byteUnits)
	if i == 0 || math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f%s", v, byteUnits[i])
	}
	return TrimZero(fmt.Sprintf("%.1f", v)) + byteUnits[i]
}

// BytesInText is a size in decimal units for a sentence, as "2.1 GB",
// "310.0 MB", "512 B".
func BytesInText(v float64) string { return inText(v, byteUnits) }

// CountInText is a count for a sentence, as "3.7 M", "12.0 k", "950".
func CountInText(v float64) string { return inText(v, countUnits) }

func inText(v float64, units []string) string {
	v, i := scale(v, units)
	if i == 0 {
		return strings.TrimSpace(fmt.Sprintf("%.0f %s", v, units[0]))
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// TrimZero drops a trailing ".0" from a one-decimal figure: "4.0" reads "4".
func TrimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// Duration is a window or a silence as people write it: 10m, 90s, 1h,
// 1h30m; never Go's "10m0s" or "1h0m0s".
func Duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// ParseSize reads a size a person writes in a flag or the config: "100MB",
// "512KB", "1GB" (steps of 1024, as a file size is counted) or a byte count.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("size " + strconv.Quote(s) + ": use a positive size like 100MB")
	}
	return n * mult, nil
}
