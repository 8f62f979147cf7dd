package series

// chunkSize is the number of points per storage chunk. Full chunks are never
// written again, so a View can share them with the writer without copying.
const chunkSize = 512

// Ring is a bounded, append-only series. It keeps at least Capacity of the
// newest points and drops the oldest a whole chunk at a time, so memory is
// bounded by Capacity+chunkSize points whatever the uptime.
//
// Ring is not safe for concurrent writers; the engine is its only writer.
// Views taken from it are immutable and safe to read from any goroutine
// while the writer goes on appending.
type Ring struct {
	capacity int
	chunks   [][]Point // the last chunk is the one being filled
	n        int
}

// NewRing returns a ring that keeps at least capacity points.
func NewRing(capacity int) *Ring {
	if capacity < 1 {
		capacity = 1
	}
	return &Ring{capacity: capacity}
}

// Append adds p if it is newer than the last point and reports whether it
// did. Points at or before the last one are dropped: sources re-fetch
// overlapping windows, and a series must stay ordered for the renderer and
// the alert rules.
func (r *Ring) Append(p Point) bool {
	if last, ok := r.Last(); ok && p.T <= last.T {
		return false
	}
	if len(r.chunks) == 0 || len(r.chunks[len(r.chunks)-1]) == chunkSize {
		if r.n-r.oldestLen() >= r.capacity && len(r.chunks) > 1 {
			r.n -= len(r.chunks[0])
			// A fresh slice of headers: views taken earlier keep theirs.
			r.chunks = append([][]Point(nil), r.chunks[1:]...)
		}
		r.chunks = append(r.chunks, make([]Point, 0, chunkSize))
	}
	last := len(r.chunks) - 1
	r.chunks[last] = append(r.chunks[last], p)
	r.n++
	return true
}

func (r *Ring) oldestLen() int {
	if len(r.chunks) == 0 {
		return 0
	}
	return len(r.chunks[0])
}

// Len is the number of points held.
func (r *Ring) Len() int { return r.n }

// Last returns the newest point.
func (r *Ring) Last() (Point, bool) {
	if r.n == 0 {
		return Point{}, false
	}
	c := r.chunks[len(r.chunks)-1]
	return c[len(c)-1], true
}

// View returns an immutable view of the points held now.
func (r *Ring) View() View {
	chunks := make([][]Point, len(r.chunks))
	copy(chunks, r.chunks) // slice headers carry the current length
	return View{chunks: chunks, n: r.n}
}

// View is an immutable, ordered sequence of points shared with a Ring.
type View struct {
	chunks [][]Point
	n      int
}

// ViewOf makes a View over points that must already be in time order; for
// tests and for replays.
func ViewOf(points ...Point) View {
	if len(points) == 0 {
		return View{}
	}
	return View{chunks: [][]Point{points}, n: len(points)}
}

// Len is the number of points.
func (v View) Len() int { return v.n }

// Last returns the newest point.
func (v View) Last() (Point, bool) {
	if v.n == 0 {
		return Point{}, false
	}
	c := v.chunks[len(v.chunks)-1]
	return c[len(c)-1], true
}

// Each calls f for every point with from <= T < to, oldest first, and stops
// early when f returns false.
func (v View) Each(from, to int64, f func(Point) bool) {
	for _, c := range v.chunks {
		if len(c) == 0 || c[len(c)-1].T < from {
			continue
		}
		i := searchFrom(c, from)
		for ; i < len(c); i++ {
			if c[i].T >= to {
				return
			}
			if !f(c[i]) {
				return
			}
		}
	}
}

// Tail returns up to n of the newest points, oldest first.
func (v View) Tail(n int) []Point {
	if n > v.n {
		n = v.n
	}
	out := make([]Point, n)
	i := n
	for ci := len(v.chunks) - 1; ci >= 0 && i > 0; ci-- {
		c := v.chunks[ci]
		k := len(c)
		if k > i {
			k = i
		}
		copy(out[i-k:i], c[len(c)-k:])
		i -= k
	}
	return out
}

// searchFrom returns the index of the first point in c with T >= from.
func searchFrom(c []Point, from int64) int {
	lo, hi := 0, len(c)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c[m].T < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
