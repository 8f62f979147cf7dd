package ui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// overlaySnapshot is the incident with the load behind it: requests as an
// ALB gives them (a Sum per 60 s period), the primary's ops/s rising with
// them and a secondary's ops that the overlay must not pick.
func overlaySnapshot() *monitor.Snapshot {
	s := *incidentSnapshot()
	s.Series = make(map[string]series.View, len(incidentSnapshot().Series)+3)
	for k, v := range incidentSnapshot().Series {
		s.Series[k] = v
	}
	rise := func(lo, hi float64, start time.Duration) func(time.Duration) float64 {
		return func(age time.Duration) float64 {
			if age > start {
				return lo
			}
			return hi - (hi-lo)*age.Seconds()/start.Seconds()
		}
	}
	s.Series["main.requests"] = ramp(6*time.Minute, time.Minute, rise(800, 2400, 4*time.Minute))
	s.Series["db.ops.total@mongo-1:27017"] = ramp(6*time.Minute, 2*time.Second, rise(400, 1200, 200*time.Second))
	s.Series["db.ops.total@mongo-2:27017"] = ramp(6*time.Minute, 2*time.Second, func(time.Duration) float64 { return 9000 })
	return &s
}

func TestNormaliseScalesToTheLinesOwnPeakAndKeepsGaps(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		in, want []float64
		peak     float64
		ok       bool
	}{
		{"a rising line ends at 100", []float64{10, 20, 40}, []float64{25, 50, 100}, 40, true},
		{"a gap stays a gap, never zero", []float64{10, nan, 20}, []float64{50, nan, 100}, 20, true},
		{"a line at zero throughout stays at zero", []float64{0, 0}, []float64{0, 0}, 0, true},
		{"no points at all is nothing to draw", []float64{nan, nan}, []float64{nan, nan}, 0, false},
		{"an empty window is nothing to draw", nil, []float64{}, 0, false},
		{"a negative reading (a counter reset upstream) is drawn at zero", []float64{-5, 10}, []float64{0, 100}, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, peak, ok := normalise(tt.in)
			if peak != tt.peak || ok != tt.ok || len(got) != len(tt.want) {
				t.Fatalf("normalise(%v) = %v, %v, %v; want %v, %v, %v", tt.in, got, peak, ok, tt.want, tt.peak, tt.ok)
			}
			for i := range got {
				if got[i] != tt.want[i] && !(math.IsNaN(got[i]) && math.IsNaN(tt.want[i])) {
					t.Errorf("column %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestOverlayLegendText(t *testing.T) {
	every := func(step time.Duration) series.View {
		return series.ViewOf(series.At(fixedNow.Add(-2*step), 1), series.At(fixedNow.Add(-step), 1), series.At(fixedNow, 1))
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"requests summed per minute read per minute", legendText("requests", requestsUnit(2400, every(time.Minute)), true), "requests 2.4k/min max"},
		{"requests summed per second read per minute", legendText("requests", requestsUnit(40, every(time.Second)), true), "requests 2.4k/min max"},
		{"requests with one point have no known period", legendText("requests", requestsUnit(40, series.ViewOf(series.At(fixedNow, 40))), true), "requests 40 max"},
		{"ops are per second", legendText("ops", overlayLines[1].unit(1190, series.View{}), true), "ops 1.2k/s max"},
		{"DB CPU is a percentage", legendText("DB CPU", overlayLines[2].unit(97.3, series.View{}), true), "DB CPU 97% max"},
		{"a line without data says so", legendText("ops", "0/s", false), "ops –"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestOverlayGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, profile := range []string{"none", "256"} {
			for _, ascii := range []bool{false, true} {
				if ascii && profile == "256" {
					continue
				}
				name := fmt.Sprintf("%dx%d/%s", size.w, size.h, profile)
				if ascii {
					name += "/ascii"
				}
				t.Run(name, func(t *testing.T) {
					m := sizedWith(t, Options{NoColor: profile == "none", ASCII: ascii, Who: text.Clean("ana")}, size.w, size.h, overlaySnapshot())
					m = step(t, m, press("o"))
					raw := m.View().Content
					plain := ansi.Strip(raw)
					checkFills(t, plain, size.w, size.h)
					for _, want := range []string{"Cause and effect", "requests 2.4k/min max", "ops 1.2k/s max", "DB CPU 97% max", "deploy 1.42"} {
						if !strings.Contains(plain, want) {
							t.Errorf("overlay lacks %q:\n%s", want, plain)
						}
					}
					if strings.Contains(plain, "API server CPU") {
						t.Errorf("the CPU graphs are still there:\n%s", plain)
					}
					if profile == "none" {
						golden(t, plain)
						return
					}
					golden(t, through256(raw))
				})
			}
		}
	}
}

// sizedWith is sized with another snapshot.
func sizedWith(t *testing.T, o Options, w, h int, snap *monitor.Snapshot) Model {
	t.Helper()
	m := sized(t, o, w, h)
	return step(t, m, snapshotMsg{snap})
}

func TestOverlayKeyTakesTheCPUGraphsPlaceInFocusAndZoom(t *testing.T) {
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana")}, 120, 40, overlaySnapshot())
	m = step(t, m, press("o"))
	m = step(t, m, press("tab"))
	if m.focus != focusDB {
		t.Errorf("tab focused %s, want DB detail (the DB CPU graph is not on screen)", focusNames[m.focus])
	}
	m = step(t, m, press("shift+tab")) // the overlay stands for both graphs
	if got := screen(m); !strings.Contains(got, "▶ Cause and effect") {
		t.Fatalf("shift+tab did not focus the overlay:\n%s", got)
	}
	m = step(t, m, press("enter"))
	got := screen(m)
	if !strings.Contains(got, "Cause and effect") || strings.Contains(got, "alerts  ") {
		t.Errorf("enter did not zoom the overlay:\n%s", got)
	}
	m = step(t, m, press("esc"))
	m = step(t, m, press("o"))
	if got := screen(m); !strings.Contains(got, "API server CPU") || !strings.Contains(got, "DB server CPU") || strings.Contains(got, "Cause and effect") {
		t.Errorf("o again did not bring back the CPU graphs:\n%s", got)
	}
}

// A mark must be found on every graph a person may be looking at: both
// CPU graphs and the overlay, as ▼label and as a dotted column.
func TestAMarkShowsOnEveryGraph(t *testing.T) {
	snap := overlaySnapshot()
	snap.Marks = append(snap.Marks, sources.Mark{At: fixedNow.Add(-40 * time.Second), Label: text.Clean("paused server-c")})
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana")}, size.w, size.h, snap)
		for _, overlay := range []bool{false, true} {
			if overlay {
				m = step(t, m, press("o"))
			}
			got := screen(m)
			graphs := 2
			if overlay {
				graphs = 1
			}
			area, _, _ := strings.Cut(got, "ops/s") // the graphs, above the DB strip
			if n := strings.Count(area, "paused server-c"); n != graphs {
				t.Errorf("%dx%d overlay=%v: %d labels, want the newest mark on each graph (%d):\n%s", size.w, size.h, overlay, n, graphs, got)
			}
			if n := strings.Count(got, markGlyph); n < 2*graphs {
				t.Errorf("%dx%d overlay=%v: %d cells of mark columns, want them through every graph:\n%s", size.w, size.h, overlay, n, got)
			}
		}
	}
}

func TestSetEmptyCellKeepsLinesAndStyles(t *testing.T) {
	tests := []struct {
		name, row string
		col       int
		want      string
	}{
		{"a blank cell gets the mark", "ab  cd", 2, "ab┊ cd"},
		{"a cell with a line keeps the line", "ab─ cd", 2, "ab─ cd"},
		{"past the end of a trimmed row, the row is padded", "ab", 4, "ab  ┊"},
		{"a styled row keeps its styles around the mark", "\x1b[31m─\x1b[0m  \x1b[31m─\x1b[0m", 1, "─┊ ─"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := setEmptyCell(tt.row, tt.col, markGlyph)
			if ansi.Strip(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if strings.Contains(tt.row, "\x1b") && !strings.HasSuffix(got, "\x1b[31m─\x1b[0m") {
				t.Errorf("the line after the mark lost its colour: %q", got)
			}
		})
	}
}

func TestOverlayWithoutRequestsOrOpsDrawsWhatThereIsAndSaysWhatIsMissing(t *testing.T) {
	th := newTheme(themeOptions{noColor: true})
	g := graphCtx{snap: incidentSnapshot(), from: fixedNow.Add(-5 * time.Minute), to: fixedNow, th: th, relative: true}
	got := ansi.Strip(renderOverlay(g, 80, 16, false))
	for _, want := range []string{"requests –", "ops –", "DB CPU 97% max", "╭─"} {
		if !strings.Contains(got, want) {
			t.Errorf("overlay lacks %q:\n%s", want, got)
		}
	}
	if n := len(strings.Split(got, "\n")); n != 16 {
		t.Errorf("overlay is %d lines, want 16", n)
	}

	g.snap = &monitor.Snapshot{At: fixedNow, Series: map[string]series.View{}}
	if got := ansi.Strip(renderOverlay(g, 80, 16, false)); !strings.Contains(got, "no data yet") {
		t.Errorf("an overlay with no series at all:\n%s", got)
	}
}

func TestWithLastWeekPutsBothOnThisWeeksPeak(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name              string
		now, then         []float64
		wantNow, wantThen []float64
		peakNow, peakThen float64
	}{
		{"three times last week: this week ends at 100, last week at 33",
			[]float64{800, 1600, 2400}, []float64{800, 800, 800}, []float64{100 / 3.0, 200 / 3.0, 100}, []float64{100 / 3.0, 100 / 3.0, 100 / 3.0}, 2400, 800},
		{"a quieter week than last: last week is drawn at the top, its legend has its peak",
			[]float64{200, 400}, []float64{800, nan}, []float64{50, 100}, []float64{100, nan}, 400, 800},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, then, pn, pt, ok, okThen := withLastWeek(tt.now, tt.then)
			if !ok || !okThen || pn != tt.peakNow || pt != tt.peakThen {
				t.Fatalf("peaks %v, %v (%v, %v); want %v, %v", pn, pt, ok, okThen, tt.peakNow, tt.peakThen)
			}
			for i := range now {
				if math.Abs(now[i]-tt.wantNow[i]) > 1e-9 {
					t.Errorf("this week column %d = %v, want %v", i, now[i], tt.wantNow[i])
				}
				if !(math.IsNaN(then[i]) && math.IsNaN(tt.wantThen[i])) && math.Abs(then[i]-tt.wantThen[i]) > 1e-9 {
					t.Errorf("last week column %d = %v, want %v", i, then[i], tt.wantThen[i])
				}
			}
		})
	}
}

// The overlay draws last week's requests, fetched for the verdict and the
// CPU graphs already (no extra CloudWatch call), dotted under this week's
// on the same scale.
func TestOverlayDrawsLastWeeksRequests(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			s := overlaySnapshot()
			s.Series["main.requests.last_week"] = ramp(6*time.Minute, time.Minute, func(time.Duration) float64 { return 800 })
			m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana")}, size.w, size.h, s)
			m = step(t, m, press("o"))
			plain := ansi.Strip(m.View().Content)
			checkFills(t, plain, size.w, size.h)
			lastWeek := "· last week 800/min max on the requests' scale"
			if size.w < 100 {
				lastWeek = "· last week" // shortened to fit, never cut inside a figure
			}
			for _, want := range []string{"requests 2.4k/min max", lastWeek, "ops 1.2k/s max", "DB CPU 97% max"} {
				if !strings.Contains(plain, want) {
					t.Errorf("overlay lacks %q:\n%s", want, plain)
				}
			}
			golden(t, plain)
		})
	}
}
