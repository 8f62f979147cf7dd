package series

import (
	"math"
	"testing"
)

func TestRingKeepsAtLeastCapacityAndDropsWholeChunks(t *testing.T) {
	r := NewRing(1000)
	for i := int64(1); i <= 5000; i++ {
		r.Append(Point{T: i, V: float64(i)})
	}
	if r.Len() < 1000 || r.Len() > 1000+chunkSize {
		t.Fatalf("len %d, want between 1000 and %d", r.Len(), 1000+chunkSize)
	}
	last, _ := r.Last()
	if last.T != 5000 {
		t.Fatalf("last %v", last)
	}
	tail := r.View().Tail(3)
	if len(tail) != 3 || tail[0].T != 4998 || tail[2].T != 5000 {
		t.Fatalf("tail %v", tail)
	}
}

func TestRingDropsOutOfOrderAndDuplicatePoints(t *testing.T) {
	r := NewRing(10)
	for _, tc := range []struct {
		p    Point
		want bool
	}{{Point{10, 1}, true}, {Point{10, 2}, false}, {Point{5, 3}, false}, {Point{11, 4}, true}} {
		if got := r.Append(tc.p); got != tc.want {
			t.Errorf("append %v: got %v want %v", tc.p, got, tc.want)
		}
	}
	if r.Len() != 2 {
		t.Fatalf("len %d", r.Len())
	}
}

func TestViewIsUnaffectedByLaterAppends(t *testing.T) {
	r := NewRing(chunkSize)
	for i := int64(1); i <= chunkSize; i++ {
		r.Append(Point{T: i})
	}
	v := r.View()
	for i := int64(chunkSize + 1); i <= 4*chunkSize; i++ {
		r.Append(Point{T: i})
	}
	if v.Len() != chunkSize {
		t.Fatalf("view len changed to %d", v.Len())
	}
	n := 0
	v.Each(0, 1<<62, func(Point) bool { n++; return true })
	if n != chunkSize {
		t.Fatalf("view iterates %d points", n)
	}
}

func TestColumns(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		points []Point
		from   int64
		to     int64
		n      int
		hold   int64
		want   []float64
	}{
		{"a single spike survives squeezing by taking the max", []Point{{0, 1}, {1, 99}, {2, 1}, {3, 1}}, 0, 4, 2, 0, []float64{99, 1}},
		{"an empty column is a gap, not a zero", []Point{{0, 5}, {3, 7}}, 0, 4, 4, 0, []float64{5, nan, nan, 7}},
		{"a sparse series carries its value within hold", []Point{{0, 5}, {3, 7}}, 0, 4, 4, 2, []float64{5, 5, 5, 7}},
		{"a point before the window carries into it", []Point{{-1, 4}}, 0, 4, 4, 2, []float64{4, 4, nan, nan}},
		{"no points at all is all gaps", nil, 0, 4, 2, 10, []float64{nan, nan}},
		{"points outside the window are ignored", []Point{{10, 1}}, 0, 4, 2, 0, []float64{nan, nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Columns(ViewOf(tc.points...), tc.from, tc.to, tc.n, tc.hold)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v want %v", got, tc.want)
			}
			for i := range got {
				if math.IsNaN(tc.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && got[i] != tc.want[i]) {
					t.Fatalf("got %v want %v", got, tc.want)
				}
			}
		})
	}
}

func TestKeys(t *testing.T) {
	if k := Key("db.cpu", "m1:27017"); k != "db.cpu@m1:27017" {
		t.Fatal(k)
	}
	if !Matches("db.cpu", "db.cpu@m1:27017") || !Matches("db.cpu", "db.cpu") || Matches("db.cpu", "db.cpux") || Matches("db.cpu@a", "db.cpu@b") {
		t.Fatal("matches")
	}
}

func TestSpacingIsTheMedianGap(t *testing.T) {
	at := func(ts ...int64) []Point {
		var ps []Point
		for _, t := range ts {
			ps = append(ps, Point{T: t})
		}
		return ps
	}
	tests := []struct {
		name string
		pts  []Point
		want int64
	}{
		{"no points", nil, 0},
		{"one point", at(5), 0},
		{"two points", at(0, 1000), 1000},
		{"a long gap among regular ones does not count", at(0, 1000, 2000, 60000, 61000), 1000},
		{"of two middles the lower one: a point after an outage is not the resolution", at(0, 1000, 300000), 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Spacing(tc.pts); got != tc.want {
				t.Errorf("Spacing = %d, want %d", got, tc.want)
			}
		})
	}
}
