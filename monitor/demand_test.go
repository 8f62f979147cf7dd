package monitor

import (
	"testing"
)

func TestDemandFollowsAlertsAndViewers(t *testing.T) {
	var d Demand
	if d.Wanted() {
		t.Fatal("wanted before any engine")
	}
	src := &scripted{name: "s", vals: []float64{50, 90}}
	e, c := newTest(t, src, rule("high", 80))
	d.Attach(e)
	step(e, c, src, 1)
	if d.Wanted() {
		t.Fatal("wanted while calm and unwatched")
	}
	e.Join("alice")
	if !d.Wanted() {
		t.Fatal("not wanted while alice watches")
	}
	e.Leave("alice")
	step(e, c, src, 1)
	if !d.Wanted() {
		t.Fatal("not wanted while an alert fires")
	}
	d2 := Demand{}
	d2.SetLocal(true)
	if !d2.Wanted() {
		t.Fatal("a local terminal always wants them")
	}
}
