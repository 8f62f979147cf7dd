// Package series holds the time-series values every source emits and the
// bounded store they live in. It does no I/O and imports only the standard
// library, so every other package can depend on it.
package series

import (
	"strings"
	"time"
)

// Point is one value at one instant, time as Unix milliseconds. The store
// keeps points in 8 bytes each, not as Points (see chunk in ring.go).
type Point struct {
	T int64   // Unix milliseconds
	V float64 // the value; a missing value is a missing Point, never NaN or 0
}

// At makes a Point from a time and a value.
func At(t time.Time, v float64) Point { return Point{T: t.UnixMilli(), V: v} }

// Time returns the point's instant in UTC.
func (p Point) Time() time.Time { return time.UnixMilli(p.T).UTC() }

// Sample is a point for one named series.
type Sample struct {
	Key   string // see Key
	Point Point
}

// Key names a series: a metric name such as "db.cpu", and for sources with
// several targets (replica-set members, instances) the member after an "@":
// "db.cpu@mongo-1:27017". Rules that watch "db.cpu" watch every member.
func Key(name, member string) string {
	if member == "" {
		return name
	}
	return name + "@" + member
}

// SplitKey is the inverse of Key.
func SplitKey(key string) (name, member string) {
	name, member, _ = strings.Cut(key, "@")
	return name, member
}

// Matches reports whether a series key belongs to the metric name pattern.
// A pattern with a member matches that member only; one without matches
// every member.
func Matches(pattern, key string) bool {
	if pattern == key {
		return true
	}
	name, _ := SplitKey(key)
	return !strings.Contains(pattern, "@") && name == pattern
}
