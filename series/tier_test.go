package series

import (
	"math"
	"testing"
	"time"
)

func raw(t int64, v float64) Bucket { return Bucket{T: t, Max: v, Min: v, Mid: v} }

func TestDownsample(t *testing.T) {
	tests := []struct {
		name  string
		in    []Bucket
		width int64
		want  []Bucket
	}{
		{"nothing in, nothing out", nil, 30, nil},
		{"a one-second spike is the bucket's max", []Bucket{raw(0, 10), raw(1, 99), raw(2, 10)}, 30,
			[]Bucket{{T: 0, Span: 30, Max: 99, Min: 10, Mid: 10}}},
		{"a one-second dip is the bucket's min", []Bucket{raw(0, 50), raw(1, 2), raw(2, 50)}, 30,
			[]Bucket{{T: 0, Span: 30, Max: 50, Min: 2, Mid: 50}}},
		{"the mid is the median of an even count", []Bucket{raw(0, 1), raw(1, 2), raw(2, 3), raw(3, 10)}, 30,
			[]Bucket{{T: 0, Span: 30, Max: 10, Min: 1, Mid: 2.5}}},
		{"a stretch with no point stays a gap, never interpolated", []Bucket{raw(1, 5), raw(95, 7)}, 30,
			[]Bucket{{T: 1, Span: 30, Max: 5, Min: 5, Mid: 5}, {T: 95, Span: 30, Max: 7, Min: 7, Mid: 7}}},
		{"a point sparser than the width is kept exactly, at its own time", []Bucket{raw(0, 4), raw(60, 5), raw(121, 6)}, 30,
			[]Bucket{{T: 0, Span: 30, Max: 4, Min: 4, Mid: 4}, {T: 60, Span: 30, Max: 5, Min: 5, Mid: 5}, {T: 121, Span: 30, Max: 6, Min: 6, Mid: 6}}},
		{"buckets are aligned to the epoch, not to the first point", []Bucket{raw(29, 1), raw(30, 2)}, 30,
			[]Bucket{{T: 29, Span: 30, Max: 1, Min: 1, Mid: 1}, {T: 30, Span: 30, Max: 2, Min: 2, Mid: 2}}},
		{"wider buckets take the max of maxes, min of mins, median of mids",
			[]Bucket{{T: 0, Span: 30, Max: 9, Min: 1, Mid: 4}, {T: 30, Span: 30, Max: 3, Min: 0, Mid: 2}, {T: 60, Span: 30, Max: 5, Min: 2, Mid: 3}}, 300,
			[]Bucket{{T: 0, Span: 300, Max: 9, Min: 0, Mid: 3}}},
		{"times before the epoch fall in their own interval", []Bucket{raw(-1, 1), raw(0, 2)}, 30,
			[]Bucket{{T: -1, Span: 30, Max: 1, Min: 1, Mid: 1}, {T: 0, Span: 30, Max: 2, Min: 2, Mid: 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Downsample(tc.in, tc.width)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v want %v", got, tc.want)
				}
			}
		})
	}
}

// day appends a day of 1 s points to r, calling check every simulated hour.
func day(r *Ring, value func(sec int64) (float64, bool), check func(hour int)) {
	for sec := int64(1); sec <= 24*3600; sec++ {
		if v, ok := value(sec); ok {
			r.Append(Point{T: sec * 1000, V: v})
		}
		if sec%3600 == 0 && check != nil {
			check(int(sec / 3600))
		}
	}
}

// held is the memory a ring holds for points and buckets, by capacity.
func held(r *Ring) int {
	n := 0
	for _, c := range r.chunks {
		n += 4*cap(c.t) + 4*cap(c.v)
	}
	for _, t := range r.tiers {
		n += 16 * cap(t.b)
	}
	return n
}

func TestADayOfOneSecondPointsKeepsTheRingBounded(t *testing.T) {
	r := NewTiered(DefaultLayout)
	most, mostBytes := 0, 0
	day(r, func(int64) (float64, bool) { return 1, true }, func(hour int) {
		most, mostBytes = max(most, r.Len()), max(mostBytes, held(r))
		if hour >= 1 && r.Len() < most-300 {
			t.Errorf("hour %d: %d points and buckets, down from %d: it should be flat", hour, r.Len(), most)
		}
	})
	// The raw span plus up to two chunks (a chunk leaves whole), and for
	// each tier the buckets of its stretch, at most twice (a split bucket).
	rawMost := int(DefaultLayout.Raw/time.Second) + 2*chunkSize
	bound, bytes := rawMost, 8*rawMost
	prev := DefaultLayout.Raw
	for i, tl := range DefaultLayout.Tiers {
		n := int((tl.Age - prev) / tl.Width)
		if got := r.tiers[i].len(); got > n+1 || got < n/2 {
			t.Errorf("tier %d (%s buckets) holds %d, want %d", i, tl.Width, got, n)
		}
		bound, bytes = bound+2*n, bytes+16*2*n
		prev = tl.Age
	}
	if r.n > rawMost || most > bound || mostBytes > bytes {
		t.Fatalf("raw %d, at most %d entries and %d bytes, want <= %d, %d, %d", r.n, most, mostBytes, rawMost, bound, bytes)
	}
	t.Logf("a day of 1 s points: %d entries (raw %d, tiers %d %d %d %d), %d bytes held at most; dropped %d",
		r.Len(), r.n, r.tiers[0].len(), r.tiers[1].len(), r.tiers[2].len(), r.tiers[3].len(), mostBytes, r.Dropped())
}

func TestOldStretchesStayTrue(t *testing.T) {
	r := NewTiered(DefaultLayout)
	const spike, dip = 3 * 3600, 5 * 3600 // seconds into the day
	gapFrom, gapTo := int64(10*3600), int64(10*3600+600)
	day(r, func(sec int64) (float64, bool) {
		switch {
		case sec == spike:
			return 99, true
		case sec == dip:
			return 1, true
		case sec >= gapFrom && sec < gapTo:
			return 0, false
		}
		return 40, true
	}, nil)
	v := r.View()
	at := func(sec int64) int64 { return sec * 1000 }

	t.Run("a one-second spike 21 hours ago is in the graph's column", func(t *testing.T) {
		cols := Columns(v, at(0), at(24*3600), 240, 2000) // 6 min a column
		if got := cols[spike/360]; got != 99 {
			t.Fatalf("column %v", got)
		}
	})
	t.Run("a dip is what a < rule reads over that stretch", func(t *testing.T) {
		low := 100.0
		v.EachBucket(at(dip-600), at(dip+600), func(b Bucket) bool { low = math.Min(low, b.Min); return true })
		if low != 1 {
			t.Fatalf("lowest %v", low)
		}
		tail := v.TailOf(v.Len(), Bucket.Low)
		found := false
		for _, p := range tail {
			found = found || p.V == 1
		}
		if !found {
			t.Fatalf("the dip is not in TailOf(Low)")
		}
	})
	t.Run("a ten-minute gap 14 hours ago stays a gap at the 1 hour range", func(t *testing.T) {
		cols := Columns(v, at(gapFrom-1800), at(gapFrom+1800), 240, 2000) // 15 s a column
		nan := 0
		for _, c := range cols {
			if math.IsNaN(c) {
				nan++
			}
		}
		// 10 min of 60 min is 40 columns; a bucket at each edge may cover
		// up to one bucket of it.
		if nan < 40-2*20 || nan > 40 {
			t.Fatalf("%d empty columns of 240, want the gap's 40 less at most a bucket each side", nan)
		}
		for i, c := range cols {
			if (i < 100 || i > 180) && math.IsNaN(c) {
				t.Fatalf("column %d outside the gap is empty: %v", i, cols)
			}
		}
	})
	t.Run("the median of an old stretch is its level, not its maxima", func(t *testing.T) {
		var mids []float64
		v.EachBucket(at(spike-600), at(spike+600), func(b Bucket) bool { mids = append(mids, b.Mid); return true })
		if m := median(mids); m != 40 {
			t.Fatalf("median %v", m)
		}
	})
}

func TestAViewTakenBeforeAFoldReadsTheSame(t *testing.T) {
	r := NewTiered(Layout{Raw: time.Second, RawMax: 4096, Tiers: []Tier{{Width: 10 * time.Millisecond, Age: time.Hour}}})
	for i := int64(1); i <= 2*chunkSize; i++ {
		r.Append(Point{T: i, V: float64(i)})
	}
	v := r.View()
	var before []Point
	v.Each(0, 1<<62, func(p Point) bool { before = append(before, p); return true })
	for i := int64(2*chunkSize + 1); i <= 10*chunkSize; i++ {
		r.Append(Point{T: i * 1000, V: 1})
	}
	if r.tiers[0].len() == 0 {
		t.Fatal("nothing folded: the test does not test a fold")
	}
	var after []Point
	v.Each(0, 1<<62, func(p Point) bool { after = append(after, p); return true })
	if len(after) != len(before) || after[len(after)-1] != before[len(before)-1] {
		t.Fatalf("the view changed: %d points, then %d", len(before), len(after))
	}
}

// Views are taken by the writer (the engine holds its lock) and read
// elsewhere while the writer goes on; run with -race.
func TestViewsAreReadWhileTheRingAppendsAndFolds(t *testing.T) {
	r := NewTiered(Layout{Raw: 200 * time.Millisecond, RawMax: 4096, Tiers: []Tier{{Width: 50 * time.Millisecond, Age: 2 * time.Second}}})
	views := make(chan View, 64)
	done := make(chan int)
	go func() {
		total := 0
		for v := range views {
			n := 0
			last := int64(-1)
			v.EachBucket(0, 1<<62, func(b Bucket) bool {
				if b.T <= last {
					t.Errorf("out of order: %d after %d", b.T, last)
				}
				last = b.T
				n++
				return true
			})
			if n != v.Len() {
				t.Errorf("a view of %d iterates %d", v.Len(), n)
			}
			total += len(v.Tail(50))
		}
		done <- total
	}()
	for i := int64(1); i <= 20*chunkSize; i++ {
		r.Append(Point{T: i * 3, V: float64(i)})
		if i%7 == 0 {
			views <- r.View()
		}
	}
	close(views)
	if <-done == 0 || r.tiers[0].len() == 0 {
		t.Fatal("nothing read or nothing folded")
	}
}
