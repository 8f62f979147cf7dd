// Package human formats numbers for people: the one owner of how a size
// in bytes and a one-decimal figure read, for the sources' notes and the
// ui's cells alike.
package human

import (
	"fmt"
	"math"
	"strings"
)

// Bytes is a size in decimal units, as "41.2GB", "310MB".
func Bytes(v float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB"}
	i := 0
	for math.Abs(v) >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if i == 0 || math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f%s", v, units[i])
	}
	return TrimZero(fmt.Sprintf("%.1f", v)) + units[i]
}

// TrimZero drops a trailing ".0" from a one-decimal figure: "4.0" reads "4".
func TrimZero(s string) string { return strings.TrimSuffix(s, ".0") }
