package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// fleetSnapshot is a sharded cluster of 16 shards x 3 members and 3 mongos
// (51 servers) with 5 minutes of DB CPU: shard-07's primary pinned near
// 96%, two members climbing, the rest wobbling between 10% and 45%; two
// members of shard-12 have not answered this round.
func fleetSnapshot() *monitor.Snapshot {
	snap := &monitor.Snapshot{Seq: 7, At: fixedNow, Series: map[string]series.View{}}
	var members []sources.Member
	add := func(id, role, shard string, f func(age time.Duration) float64) {
		m := sources.Member{ID: id, Role: role, Shard: shard, OK: true, LastOK: fixedNow}
		if shard == "shard-12" && role == "SECONDARY" {
			m.OK, m.Error = false, "slow: no reply within 500ms"
		}
		members = append(members, m)
		snap.Series[series.Key("db.cpu", id)] = ramp(5*time.Minute, 2*time.Second, f)
	}
	for r := 0; r < 3; r++ {
		add(fmt.Sprintf("mongos-%d:27017", r), "MONGOS", "", func(age time.Duration) float64 {
			return 8 + 3*math.Sin(age.Seconds()/13+float64(r))
		})
	}
	for sh := 0; sh < 16; sh++ {
		for i := 0; i < 3; i++ {
			role := "SECONDARY"
			if i == 0 {
				role = "PRIMARY"
			}
			seed := float64(sh*3 + i)
			f := func(age time.Duration) float64 {
				return 25 + 12*math.Sin(age.Seconds()/(17+seed)+seed) + 4*math.Cos(seed)
			}
			switch {
			case sh == 7 && i == 0:
				f = func(age time.Duration) float64 { return math.Min(96, 40+age.Seconds()*-0.4+120) }
			case sh == 3 && i == 0, sh == 11 && i == 1:
				f = func(age time.Duration) float64 { return 78 - age.Seconds()/8 + seed/10 }
			}
			add(fmt.Sprintf("shard-%02d-%d:27018", sh, i), role, fmt.Sprintf("shard-%02d", sh), f)
		}
	}
	snap.Series["main.cpu"] = ramp(5*time.Minute, 5*time.Second, func(age time.Duration) float64 { return 40 + 10*math.Sin(age.Seconds()/20) })
	snap.Sources = []monitor.SourceHealth{
		{Name: "main", Interval: time.Minute, State: monitor.Healthy, LastOK: fixedNow.Add(-20 * time.Second), NextPoll: fixedNow.Add(40 * time.Second), Polls: 9},
		{Name: "db", Interval: time.Second, State: monitor.Healthy, LastOK: fixedNow, NextPoll: fixedNow.Add(time.Second), Polls: 300, Members: members},
	}
	return snap
}

func TestFleetGraphDrawsTheHottestAsLinesAndTheRestAsABand(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := sizedWith(t, Options{NoColor: true}, size[0], size[1], fleetSnapshot())
			got := screen(m)
			golden(t, got)
			for _, want := range []string{bandGlyph, medianGlyph, primaryGlyph, "shard-07 P"} {
				if !strings.Contains(got, want) {
					t.Errorf("no %q on the screen", want)
				}
			}
			status := lineWith(got, "● db")
			if !strings.Contains(status, "49 ok · 2 stale · shard-07 primary 96%") {
				t.Errorf("status line %q", status)
			}
			if strings.Contains(status, "shard-00-1:27018") {
				t.Errorf("status line lists members: %q", status)
			}
		})
	}
}

func TestFleetFilterStepsThroughShardsThenMembers(t *testing.T) {
	m := sizedWith(t, Options{NoColor: true}, 120, 40, fleetSnapshot())
	m = step(t, m, press("f"))
	if m.member != "shard-00" {
		t.Fatalf("first f picked %q, want shard-00", m.member)
	}
	for i := 0; i < 7; i++ {
		m = step(t, m, press("f"))
	}
	got := screen(m)
	if m.member != "shard-07" || !strings.Contains(got, "only shard-07") || strings.Contains(got, bandGlyph) {
		t.Errorf("after 8 f: filter %q; a shard's 3 members are drawn as lines, no band:\n%s", m.member, got)
	}
	if title := lineWith(got, "DB server CPU"); !strings.Contains(title, "shard-07-0 (P)") || strings.Contains(title, "shard-08") {
		t.Errorf("legend %q", title)
	}
	m = step(t, m, press("F"))
	if m.member != "shard-06" {
		t.Errorf("F went to %q, want shard-06", m.member)
	}
	for i := 0; i < 7; i++ {
		m = step(t, m, press("F"))
	}
	if m.member != "" {
		t.Errorf("F back past shard-00 gave %q, want all", m.member)
	}
	m = step(t, m, press("F"))
	if m.member != "shard-15-2:27018" {
		t.Errorf("F from all gave %q, want the last member", m.member)
	}
}

func TestSplitFleetRanksByTheNewestColumns(t *testing.T) {
	nan := math.NaN()
	cols := func(old, now float64) []float64 { // 4 old columns, then recentCols new ones
		out := []float64{old, old, old, old}
		for i := 0; i < recentCols; i++ {
			out = append(out, now)
		}
		return out
	}
	lines := []graphLine{
		{key: "a", cols: cols(99, 30)}, // was hot, calm now
		{key: "b", cols: cols(10, 20)},
		{key: "c", cols: cols(nan, nan)},
		{key: "d", cols: cols(20, 70)},
		{key: "e", cols: cols(5, 5)},
	}
	hot, rest := splitFleet(lines)
	var names []string
	for _, gl := range append(hot, rest...) {
		names = append(names, gl.key)
	}
	if got := strings.Join(names, ""); got != "dabec" {
		t.Errorf("order %q, want dabec (recent mean, no data last)", got)
	}
}

func TestMakeBandIsMinMaxAndMedianPerColumn(t *testing.T) {
	nan := math.NaN()
	rest := []graphLine{
		{cols: []float64{1, nan}},
		{cols: []float64{5, nan}},
		{cols: []float64{3, nan}},
		{cols: []float64{7, nan}},
	}
	b := makeBand(rest, rest)
	if b.lo[0] != 1 || b.hi[0] != 7 || b.med[0] != 4 || b.n != 4 {
		t.Errorf("band %+v", b)
	}
	if !math.IsNaN(b.lo[1]) || !math.IsNaN(b.med[1]) {
		t.Errorf("a column without data is not a gap: %+v", b)
	}
}

func TestMemberSummaryCountsAndNamesTheHottest(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members []sources.Member
		want    string
	}{
		{"all well", []sources.Member{{ID: "a", Role: "PRIMARY", Shard: "s1", OK: true}, {ID: "b", OK: true}}, "2 ok · s1 primary 90%"},
		{"stale and down", []sources.Member{{ID: "a", Role: "PRIMARY", OK: true}, {ID: "b", Error: "slow: no reply"}, {ID: "c", Error: "timeout"}, {ID: "d"}},
			"1 ok · 2 stale · 1 down · a primary 90%"},
		{"no cpu yet", []sources.Member{{ID: "x", OK: true}}, "1 ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := &monitor.Snapshot{Series: map[string]series.View{
				"db.cpu@a": constant(90), "db.cpu@b": constant(20), "db.cpu@c": constant(30),
			}}
			got := memberSummary(monitor.SourceHealth{Name: "db", Members: tc.members}, snap)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func lineWith(screen, sub string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestMedianOfEvenAndOddCounts(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{3, 1}, 2},
		{[]float64{9, 1, 5}, 5},
		{[]float64{7, 1, 3, 5}, 4},
		{[]float64{2, 2, 2, 9, 1, 2}, 2},
		{[]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5.5},
	} {
		if got := median(slices.Clone(tc.in)); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
