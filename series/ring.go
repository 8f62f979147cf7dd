package series

import "math"

// chunkSize is the number of points per storage chunk. Full chunks are never
// written again, so a View can share them with the writer without copying.
const chunkSize = 512

// chunk stores points compactly: times as milliseconds after base and
// values as float32, 8 bytes a point instead of 16. A day of 1 s points
// for the demo's 65 series is then ~22 MB instead of ~45 MB. float32 keeps
// about 7 significant digits, more than any panel shows (CPU to 0.1%,
// rates to 3 digits) or any threshold needs.
type chunk struct {
	base int64     // Unix ms of the first point
	t    []uint32  // ms after base
	v    []float32 // values
}

func (c chunk) len() int { return len(c.t) }

func (c chunk) at(i int) Point { return Point{T: c.base + int64(c.t[i]), V: float64(c.v[i])} }

// Ring is a bounded, append-only series. It keeps at least Capacity of the
// newest points and drops the oldest a whole chunk at a time, so memory is
// bounded by Capacity+chunkSize points whatever the uptime.
//
// Ring is not safe for concurrent writers; the engine is its only writer.
// Views taken from it are immutable and safe to read from any goroutine
// while the writer goes on appending.
type Ring struct {
	capacity int
	chunks   []chunk // the last chunk is the one being filled
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
	if len(r.chunks) == 0 || r.chunks[len(r.chunks)-1].len() == chunkSize ||
		p.T-r.chunks[len(r.chunks)-1].base > math.MaxUint32 {
		if r.n-r.oldestLen() >= r.capacity && len(r.chunks) > 1 {
			r.n -= r.chunks[0].len()
			// A fresh slice of headers: views taken earlier keep theirs.
			r.chunks = append([]chunk(nil), r.chunks[1:]...)
		}
		r.chunks = append(r.chunks, chunk{base: p.T, t: make([]uint32, 0, chunkSize), v: make([]float32, 0, chunkSize)})
	}
	c := &r.chunks[len(r.chunks)-1]
	c.t = append(c.t, uint32(p.T-c.base))
	c.v = append(c.v, float32(p.V))
	r.n++
	return true
}

func (r *Ring) oldestLen() int {
	if len(r.chunks) == 0 {
		return 0
	}
	return r.chunks[0].len()
}

// Len is the number of points held.
func (r *Ring) Len() int { return r.n }

// Last returns the newest point.
func (r *Ring) Last() (Point, bool) {
	if r.n == 0 {
		return Point{}, false
	}
	c := r.chunks[len(r.chunks)-1]
	return c.at(c.len() - 1), true
}

// View returns an immutable view of the points held now.
func (r *Ring) View() View {
	chunks := make([]chunk, len(r.chunks))
	copy(chunks, r.chunks) // slice headers carry the current length
	return View{chunks: chunks, n: r.n}
}

// View is an immutable, ordered sequence of points shared with a Ring.
type View struct {
	chunks []chunk
	n      int
	plain  []Point // ViewOf's points, kept exactly
}

// ViewOf makes a View over points that must already be in time order; for
// tests and for replays. The values are kept exactly.
func ViewOf(points ...Point) View {
	return View{plain: points, n: len(points)}
}

// Len is the number of points.
func (v View) Len() int { return v.n }

// Last returns the newest point.
func (v View) Last() (Point, bool) {
	if v.n == 0 {
		return Point{}, false
	}
	if v.plain != nil {
		return v.plain[len(v.plain)-1], true
	}
	c := v.chunks[len(v.chunks)-1]
	return c.at(c.len() - 1), true
}

// Each calls f for every point with from <= T < to, oldest first, and stops
// early when f returns false.
func (v View) Each(from, to int64, f func(Point) bool) {
	if v.plain != nil {
		for i := searchPlain(v.plain, from); i < len(v.plain) && v.plain[i].T < to; i++ {
			if !f(v.plain[i]) {
				return
			}
		}
		return
	}
	for _, c := range v.chunks {
		n := c.len()
		if n == 0 || c.base+int64(c.t[n-1]) < from {
			continue
		}
		for i := searchChunk(c, from); i < n; i++ {
			p := c.at(i)
			if p.T >= to {
				return
			}
			if !f(p) {
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
	if v.plain != nil {
		copy(out, v.plain[len(v.plain)-n:])
		return out
	}
	i := n
	for ci := len(v.chunks) - 1; ci >= 0 && i > 0; ci-- {
		c := v.chunks[ci]
		for j := c.len() - 1; j >= 0 && i > 0; j-- {
			i--
			out[i] = c.at(j)
		}
	}
	return out
}

// searchChunk returns the index of the first point in c with T >= from.
func searchChunk(c chunk, from int64) int {
	lo, hi := 0, c.len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.base+int64(c.t[m]) < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func searchPlain(ps []Point, from int64) int {
	lo, hi := 0, len(ps)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ps[m].T < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
