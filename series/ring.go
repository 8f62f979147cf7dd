package series

import "math"

// chunkSize is the number of points per storage chunk. Full chunks are never
// written again, so a View can share them with the writer without copying.
// Raw points leave for the tiers a whole chunk at a time, so a small chunk
// keeps the raw tier close to its span.
const chunkSize = 128

// chunk stores points compactly: times as milliseconds after base and
// values as float32, 8 bytes a point instead of 16. float32 keeps
// about 7 significant digits, more than any panel shows (CPU to 0.1%,
// rates to 3 digits) or any threshold needs.
type chunk struct {
	base int64     // Unix ms of the first point
	t    []uint32  // ms after base
	v    []float32 // values
}

func (c chunk) len() int { return len(c.t) }

func (c chunk) at(i int) Point { return Point{T: c.base + int64(c.t[i]), V: float64(c.v[i])} }

// Ring is a bounded, append-only series. Its newest points are kept raw;
// older ones are folded into the coarser tiers of its Layout (see
// Downsample), and only what is older than the last tier is dropped, a
// whole bucket at a time, and counted. Memory per series is bounded by the
// layout, whatever the uptime.
//
// Ring is not safe for concurrent writers; the engine is its only writer.
// Views taken from it are immutable and safe to read from any goroutine
// while the writer goes on appending.
type Ring struct {
	layout  Layout
	chunks  []chunk // raw points; the last chunk is the one being filled
	n       int     // raw points held
	tiers   []tier  // one per layout tier; a fold replaces the slice, never writes into it
	dropped int
}

// NewRing returns a ring that keeps at least capacity raw points and
// drops the oldest beyond them, a whole chunk at a time.
func NewRing(capacity int) *Ring {
	return NewTiered(Layout{RawMax: max(capacity, 1)})
}

// NewTiered returns a ring that keeps points as the layout says.
func NewTiered(l Layout) *Ring {
	return &Ring{layout: l, tiers: make([]tier, len(l.Tiers))}
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
		r.trim(p.T)
		r.chunks = append(r.chunks, chunk{base: p.T, t: make([]uint32, 0, chunkSize), v: make([]float32, 0, chunkSize)})
	}
	c := &r.chunks[len(r.chunks)-1]
	c.t = append(c.t, uint32(p.T-c.base))
	c.v = append(c.v, float32(p.V))
	r.n++
	return true
}

// trim moves the complete raw chunks that are older than the raw span, or
// beyond the raw cap, into the tiers.
func (r *Ring) trim(newest int64) {
	k := 0
	var out []Bucket
	for k < len(r.chunks) {
		c := r.chunks[k]
		old := r.layout.Raw > 0 && c.base+int64(c.t[c.len()-1]) < newest-r.layout.Raw.Milliseconds()
		over := r.layout.RawMax > 0 && r.n-c.len() >= r.layout.RawMax
		if !old && !over {
			break
		}
		r.n -= c.len()
		if len(r.layout.Tiers) == 0 {
			r.dropped += c.len()
		} else {
			out = append(out, rawBuckets(c)...)
		}
		k++
	}
	if k == 0 {
		return
	}
	// A fresh slice of headers: views taken earlier keep theirs.
	r.chunks = append([]chunk(nil), r.chunks[k:]...)
	if len(out) > 0 {
		r.fold(out, newest)
	}
}

// fold adds buckets leaving the tier above to each tier in turn, and what
// leaves the last tier is dropped and counted.
func (r *Ring) fold(bs []Bucket, newest int64) {
	if len(r.tiers) > 0 {
		r.tiers = append([]tier(nil), r.tiers...)
	}
	for i, tl := range r.layout.Tiers {
		if len(bs) == 0 {
			return
		}
		// Twice the buckets the age holds: room for a bucket split
		// between two folds, and a bound for a series whose points come
		// faster than any layout expected.
		r.tiers[i], bs = r.tiers[i].add(bs, tl.Width.Milliseconds(), newest-tl.Age.Milliseconds(), 2*int(tl.Age/tl.Width))
	}
	r.dropped += len(bs)
}

// Len is the number of raw points and buckets held.
func (r *Ring) Len() int {
	n := r.n
	for _, t := range r.tiers {
		n += t.len()
	}
	return n
}

// Dropped is how many buckets (or raw points, when the ring has no
// tiers) left the ring for good because they were older than it keeps.
func (r *Ring) Dropped() int { return r.dropped }

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
	v := View{n: r.Len(), tiers: r.tiers}
	if k := len(r.chunks); k > 0 {
		// The last header is copied (its length is what this view sees);
		// the full ones before it are never written again.
		v.full, v.last = r.chunks[:k-1:k-1], r.chunks[k-1]
	}
	return v
}
