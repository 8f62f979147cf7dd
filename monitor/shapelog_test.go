package monitor

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

func TestTheShapeLogKeepsTheBaselineAndWhatASourceNoLongerReports(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	scan := func(from, to int, n int) sources.Shape {
		sh := sources.Shape{Text: "cctv.events find {camera_id: ?}", App: "server-c", Plan: "COLLSCAN", Collscan: true}
		for s := from; s <= to; s += 2 {
			sh.Samples = append(sh.Samples, sources.ShapeCount{At: at(s), N: n, Total: 10})
		}
		return sh
	}
	find := func(from, to int) sources.Shape {
		sh := sources.Shape{Text: "app.orders find {user_id: ?}", App: "api-main", Plan: "IXSCAN { user_id: 1 }"}
		for s := from; s <= to; s += 2 {
			sh.Samples = append(sh.Samples, sources.ShapeCount{At: at(s), N: 3, Total: 10})
		}
		return sh
	}
	var l shapeLog
	// Poll 1: both shapes over 0..20 s. Poll 2: the source has forgotten
	// 0..9 s and the scan (not busy in its window any more) is not
	// reported; its counts in 10..20 s stay.
	l.add([]sources.Shape{scan(0, 20, 7), find(0, 20)})
	l.add([]sources.Shape{find(10, 40)})
	l.prune(at(0), at(6), at(14)) // baseline 0..6 s, recent from 14 s
	got := map[string][]int{}
	for _, sh := range l.counts() {
		for _, c := range sh.Counts {
			got[sh.App] = append(got[sh.App], c.N)
		}
	}
	want := map[string][]int{
		"server-c": {7, 7, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"api-main": {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},
	}
	for app, w := range want {
		if len(got[app]) != len(w) {
			t.Fatalf("%s: counts %v, want %v", app, got[app], w)
		}
		for i := range w {
			if got[app][i] != w[i] {
				t.Fatalf("%s: counts %v, want %v (samples at 0,2,4 and 14..40 s; the scan ran until 20 s)", app, got[app], w)
			}
		}
	}
	// Once no kept sample has the scan, it is forgotten.
	l.prune(time.Time{}, time.Time{}, at(22))
	if shs := l.counts(); len(shs) != 1 || shs[0].App != "api-main" || len(shs[0].Counts) != 10 {
		t.Errorf("after the baseline is let go: %+v", shs)
	}
}
