package series

// View is an immutable, ordered sequence of points shared with a Ring:
// its tiers' buckets (oldest first), then its raw points.
type View struct {
	// full are the ring's full chunks, shared (never written again);
	// last is a copy of the header of the one being filled, whose length
	// fixes what this view sees of it. Taking a view allocates nothing.
	full  []chunk
	last  chunk
	tiers []tier // finest first, so read from the end
	n     int
	plain []Point // ViewOf's points, kept exactly
}

// ViewOf makes a View over points that must already be in time order; for
// tests and for replays. The values are kept exactly.
func ViewOf(points ...Point) View {
	return View{plain: points, n: len(points)}
}

// Len is the number of raw points and buckets.
func (v View) Len() int { return v.n }

// Last returns the newest point.
func (v View) Last() (Point, bool) {
	if v.n == 0 {
		return Point{}, false
	}
	if v.plain != nil {
		return v.plain[len(v.plain)-1], true
	}
	if c := v.chunk(v.nchunks() - 1); c.len() > 0 {
		return c.at(c.len() - 1), true
	}
	for _, t := range v.tiers {
		if t.len() > 0 {
			return t.at(t.len() - 1).Top(), true
		}
	}
	return Point{}, false
}

// Top is the point a bucket stands for where one value is read: its Max,
// what a graph column and a ">" rule must never miss.
func (b Bucket) Top() Point { return Point{T: b.T, V: b.Max} }

// Each calls f for every point with from <= T < to, oldest first, and stops
// early when f returns false. A bucket is read as its Max (see Bucket).
func (v View) Each(from, to int64, f func(Point) bool) {
	if v.plain != nil {
		for i := searchPlain(v.plain, from); i < len(v.plain) && v.plain[i].T < to; i++ {
			if !f(v.plain[i]) {
				return
			}
		}
		return
	}
	if v.eachTiered(from, to, func(b Bucket) bool { return f(b.Top()) }) {
		v.eachRaw(from, to, f)
	}
}

// EachBucket is Each with the whole of each bucket: its span, maximum,
// minimum and median. A raw point is a bucket of Span 0.
func (v View) EachBucket(from, to int64, f func(Bucket) bool) {
	v.eachSplit(from, to, f, func(p Point) bool { return f(Bucket{T: p.T, Max: p.V, Min: p.V, Mid: p.V}) })
}

// eachSplit is EachBucket with the raw points handed to raw as they are
// (no bucket made of each: Columns reads 3,600 of them per series and
// frame).
func (v View) eachSplit(from, to int64, bucket func(Bucket) bool, raw func(Point) bool) {
	if v.plain != nil {
		v.Each(from, to, raw)
		return
	}
	if v.eachTiered(from, to, bucket) {
		v.eachRaw(from, to, raw)
	}
}

// eachTiered walks the tiers' buckets in [from, to), oldest first, and
// reports whether the raw points come next (f never said stop, and no
// bucket reached to).
func (v View) eachTiered(from, to int64, f func(Bucket) bool) bool {
	for ti := len(v.tiers) - 1; ti >= 0; ti-- {
		t := v.tiers[ti]
		for i := t.search(from); i < t.len(); i++ {
			b := t.at(i)
			if b.T >= to || !f(b) {
				return false
			}
		}
	}
	return true
}

// eachRaw walks the raw points in [from, to), oldest first.
func (v View) eachRaw(from, to int64, f func(Point) bool) {
	for ci := range v.nchunks() {
		c := v.chunk(ci)
		n := c.len()
		if n == 0 || c.base+int64(c.t[n-1]) < from {
			continue
		}
		for i := searchChunk(c, from); i < n; i++ {
			p := c.at(i)
			if p.T >= to || !f(p) {
				return
			}
		}
	}
}

// Tail returns up to n of the newest points, oldest first; a bucket is
// read as its Max.
func (v View) Tail(n int) []Point {
	return v.TailOf(n, Bucket.Top)
}

// TailOf is Tail reading each bucket as pick says (a "<" rule reads the
// Min, so a dip in an old stretch is not hidden by the bucket's Max).
func (v View) TailOf(n int, pick func(Bucket) Point) []Point {
	if n > v.n {
		n = v.n
	}
	out := make([]Point, n)
	if v.plain != nil {
		copy(out, v.plain[len(v.plain)-n:])
		return out
	}
	i := n
	for ci := v.nchunks() - 1; ci >= 0 && i > 0; ci-- {
		c := v.chunk(ci)
		for j := c.len() - 1; j >= 0 && i > 0; j-- {
			i--
			out[i] = c.at(j)
		}
	}
	for _, t := range v.tiers {
		for j := t.len() - 1; j >= 0 && i > 0; j-- {
			i--
			out[i] = pick(t.at(j))
		}
	}
	return out[i:]
}

// Low reads a bucket as its Min (see TailOf).
func (b Bucket) Low() Point { return Point{T: b.T, V: b.Min} }

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

// widest is the longest span of any bucket in the view (0 when all raw).
func (v View) widest() int64 {
	w := int64(0)
	for _, t := range v.tiers {
		w = max(w, t.span)
	}
	return w
}

// nchunks is the number of raw chunks, the one being filled included.
func (v View) nchunks() int {
	if v.last.t == nil {
		return len(v.full)
	}
	return len(v.full) + 1
}

// chunk is raw chunk i (0 <= i < nchunks; -1 reads as an empty chunk).
func (v View) chunk(i int) chunk {
	switch {
	case i < 0:
		return chunk{}
	case i < len(v.full):
		return v.full[i]
	}
	return v.last
}
