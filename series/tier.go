package series

import (
	"math"
	"slices"
	"time"
)

// Bucket is what the store keeps of a stretch of points: a raw point is a
// Bucket with Span 0 and Max = Min = Mid = its value; past the raw tier a
// Bucket stands for the points of Span milliseconds from T. Max keeps a
// one-second spike visible to graphs and to ">" rules, Min keeps a dip
// visible to "<" rules and to the export's peak of a "<" alert, Mid (a
// median) is what medians such as the verdict's baseline read.
type Bucket struct {
	T, Span       int64 // Unix ms of the first point in it; how long it stands for (0: a raw point)
	Max, Min, Mid float64
}

// Tier is one level of downsampling: buckets of Width, kept while they are
// at most Age older than the series' newest point.
type Tier struct {
	Width, Age time.Duration
}

// Layout is how much a Ring keeps at which resolution.
type Layout struct {
	// Raw is how long raw points stay raw (at least; they leave a whole
	// chunk at a time), and RawMax caps their number whatever the
	// spacing, so a fast series cannot grow the raw tier.
	Raw    time.Duration
	RawMax int
	// Tiers, finest first; each Width a multiple of the one before.
	// Buckets older than the last tier's Age are dropped and counted.
	Tiers []Tier
}

// Keeps is how old a point may get before the ring drops it: the last
// tier's age, or the raw span without tiers (0: no age limit, only RawMax).
func (l Layout) Keeps() time.Duration {
	if len(l.Tiers) > 0 {
		return l.Tiers[len(l.Tiers)-1].Age
	}
	return l.Raw
}

// DefaultLayout is the engine's store. A bucket spans at most about four
// columns of the narrowest range that shows its age at 120 columns: 1 s
// points for the newest 10 minutes (the 5 and 15 minute ranges draw a
// column per 1-8 s), 10 s buckets to 20 minutes, 1 minute buckets to 2
// hours (the 1 and 3 hour ranges: 15-135 s a column), 5 minute buckets to
// 8 hours (the 12 hour range: 3-9 minutes), 20 minute buckets to 24 hours
// (only panning back shows them). A 1 s series then holds ~10 KB (~13 KB
// of heap) whatever the uptime: the 51 database members of issue 17 emit 2,193 such series,
// and the binary's soft memory limit is 48 MiB (BENCHMARKS.md).
var DefaultLayout = Layout{
	Raw: 10 * time.Minute, RawMax: 2048,
	Tiers: []Tier{
		{Width: 10 * time.Second, Age: 20 * time.Minute},
		{Width: time.Minute, Age: 2 * time.Hour},
		{Width: 5 * time.Minute, Age: 8 * time.Hour},
		{Width: 20 * time.Minute, Age: 24 * time.Hour},
	},
}

// Downsample merges consecutive buckets that fall in the same interval of
// width ms (aligned to the Unix epoch) into one: the first's time, the
// greatest Max, the least Min and the median of the Mids. A stretch with
// no bucket stays without one: a gap stays a gap, never interpolated.
func Downsample(in []Bucket, width int64) []Bucket {
	var out []Bucket
	var mids []float64
	flush := func() {
		if len(mids) > 0 {
			out[len(out)-1].Mid = median(mids)
			mids = mids[:0]
		}
	}
	for _, b := range in {
		if n := len(out); n > 0 && floorDiv(out[n-1].T, width) == floorDiv(b.T, width) {
			o := &out[n-1]
			o.Max, o.Min = math.Max(o.Max, b.Max), math.Min(o.Min, b.Min)
			mids = append(mids, b.Mid)
			continue
		}
		flush()
		out = append(out, Bucket{T: b.T, Span: width, Max: b.Max, Min: b.Min})
		mids = append(mids, b.Mid)
	}
	flush()
	return out
}

func floorDiv(t, w int64) int64 {
	q := t / w
	if t%w != 0 && t < 0 {
		q--
	}
	return q
}

// median of xs (which it reorders); the mean of the two middles when even.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// tier is one level's buckets, oldest first, 16 bytes each. A tier value
// is never changed once built (a fold builds a new one), so views share it.
type tier struct {
	span int64 // bucket width, ms
	base int64
	b    []bucket32
}

type bucket32 struct {
	off           uint32 // ms after base
	max, min, mid float32
}

func (t tier) len() int { return len(t.b) }

func (t tier) at(i int) Bucket {
	b := t.b[i]
	return Bucket{T: t.base + int64(b.off), Span: t.span, Max: float64(b.max), Min: float64(b.min), Mid: float64(b.mid)}
}

// add returns the tier with bs (newer than anything in it) downsampled
// into it, and the oldest buckets that no longer belong: older than limit,
// or beyond most. A bucket split between two folds is merged back.
func (t tier) add(bs []Bucket, width, limit int64, most int) (tier, []Bucket) {
	m := t.len()
	if m > 0 && len(bs) > 0 && floorDiv(t.at(m-1).T, width) == floorDiv(bs[0].T, width) {
		m--
		bs = append([]Bucket{t.at(m)}, bs...)
	}
	bs = Downsample(bs, width)
	total := m + len(bs)
	at := func(i int) Bucket {
		if i < m {
			return t.at(i)
		}
		return bs[i-m]
	}
	cut := 0
	for cut < total && (at(cut).T < limit || total-cut > most) {
		cut++
	}
	leaving := make([]Bucket, cut)
	for i := range leaving {
		leaving[i] = at(i)
	}
	nt := tier{span: width, b: make([]bucket32, total-cut)}
	if total > cut {
		nt.base = at(cut).T
	}
	for i := cut; i < total; i++ {
		nt.b[i-cut] = pack(at(i), nt.base)
	}
	return nt, leaving
}

func pack(b Bucket, base int64) bucket32 {
	return bucket32{off: uint32(min(max(b.T-base, 0), math.MaxUint32)), max: float32(b.Max), min: float32(b.Min), mid: float32(b.Mid)}
}

// search returns the index of the first bucket with T >= from.
func (t tier) search(from int64) int {
	lo, hi := 0, t.len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.base+int64(t.b[m].off) < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// rawBuckets turns a chunk's points into buckets of their own.
func rawBuckets(c chunk) []Bucket {
	out := make([]Bucket, c.len())
	for i := range out {
		p := c.at(i)
		out[i] = Bucket{T: p.T, Max: p.V, Min: p.V, Mid: p.V}
	}
	return out
}
