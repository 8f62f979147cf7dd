package alert

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/series"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// run feeds one point per second (a missing value, NaN-free, is skipped by
// passing gap) and returns the state after each step.
func run(r Rule, values []float64, gaps map[int]bool) []State {
	st := Start(r, r.Series, t0)
	var pts []series.Point
	var out []State
	for i, v := range values {
		now := t0.Add(time.Duration(i+1) * time.Second)
		if !gaps[i] {
			pts = append(pts, series.At(now, v))
		}
		recent := pts
		if len(recent) > r.Points() {
			recent = recent[len(recent)-r.Points():]
		}
		st = Evaluate(r, st, recent, now)
		out = append(out, st.State)
	}
	return out
}

func f(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	cpu := Rule{Name: "cpu", Series: "db.cpu", Op: Above, Threshold: 80, M: 3, N: 3, Severity: Critical, NoData: NoDataState}
	hyst := cpu
	hyst.M, hyst.N, hyst.Clear = 1, 1, f(70)
	twoOfThree := cpu
	twoOfThree.M = 2
	withFor := cpu
	withFor.M, withFor.N, withFor.For = 1, 1, 2*time.Second
	nodata := cpu
	nodata.M, nodata.N, nodata.NoDataAfter = 1, 1, 2*time.Second
	nodataOK := nodata
	nodataOK.NoData = NoDataOK
	nodataAlarm := nodata
	nodataAlarm.NoData = NoDataAlarm
	nodataKeep := nodata
	nodataKeep.NoData = NoDataKeep
	low := Rule{Name: "conns", Series: "db.connections.available", Op: Below, Threshold: 100, Severity: Warning, NoData: NoDataState}

	tests := []struct {
		name   string
		rule   Rule
		values []float64
		gaps   map[int]bool
		want   []State
	}{
		{"3 of 3 goes pending on the first breach and fires on the third", cpu,
			[]float64{50, 90, 90, 90}, nil, []State{OK, Pending, Pending, Firing}},
		{"a single dip below the line during pending returns to OK", cpu,
			[]float64{90, 90, 50, 90}, nil, []State{Pending, Pending, OK, Pending}},
		{"a firing alert resolves when fewer than M of N breach", cpu,
			[]float64{90, 90, 90, 50, 50}, nil, []State{Pending, Pending, Firing, Resolved, Resolved}},
		{"2 of 3 fires with one dip in between", twoOfThree,
			[]float64{90, 50, 90}, nil, []State{Pending, OK, Firing}},
		{"hysteresis keeps a value hovering at the line firing", hyst,
			[]float64{81, 79, 81, 75, 69}, nil, []State{Firing, Firing, Firing, Firing, Resolved}},
		{"for holds the alert pending until the time has passed", withFor,
			[]float64{90, 90, 90, 90}, nil, []State{Pending, Pending, Firing, Firing}},
		{"a resolved alert can fire again", hyst,
			[]float64{90, 60, 90}, nil, []State{Firing, Resolved, Firing}},
		{"below-threshold rules fire on low values", low,
			[]float64{500, 50, 150}, nil, []State{OK, Firing, Resolved}},
		{"data that stops shows NO DATA, and recovers", nodata,
			[]float64{50, 0, 0, 0, 50}, map[int]bool{1: true, 2: true, 3: true}, []State{OK, OK, OK, Missing, OK}},
		{"nodata: ok resolves a firing alert when data stops", nodataOK,
			[]float64{90, 0, 0, 0}, map[int]bool{1: true, 2: true, 3: true}, []State{Firing, Firing, Firing, Resolved}},
		{"nodata: alarm fires when data stops", nodataAlarm,
			[]float64{50, 0, 0, 0}, map[int]bool{1: true, 2: true, 3: true}, []State{OK, OK, OK, Firing}},
		{"nodata: keep keeps firing", nodataKeep,
			[]float64{90, 0, 0, 0}, map[int]bool{1: true, 2: true, 3: true}, []State{Firing, Firing, Firing, Firing}},
		{"nodata: keep has nothing to keep for a series that never delivered", nodataKeep,
			[]float64{0, 0, 0}, map[int]bool{0: true, 1: true, 2: true}, []State{OK, OK, Missing}},
		{"nodata: ok stays OK for a series that never delivered, as asked", nodataOK,
			[]float64{0, 0, 0}, map[int]bool{0: true, 1: true, 2: true}, []State{OK, OK, OK}},
		{"a gap (counter reset emits no rate) does not count as a breach or a recovery", cpu,
			[]float64{90, 90, 0, 90}, map[int]bool{2: true}, []State{Pending, Pending, Pending, Firing}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := run(tc.rule, tc.values, tc.gaps)
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Fatalf("states %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestEvaluateIgnoresPointsThatAreNotNewer(t *testing.T) {
	r := Rule{Name: "cpu", Series: "db.cpu", Op: Above, Threshold: 80, M: 2, N: 2, Severity: Warning, NoData: NoDataState}
	st := Start(r, "db.cpu", t0)
	p1 := series.At(t0.Add(2*time.Second), 90)
	st = Evaluate(r, st, []series.Point{p1}, t0.Add(2*time.Second))
	// An out-of-order point (older than the last seen) must not advance M of N.
	old := series.At(t0.Add(1*time.Second), 95)
	st2 := Evaluate(r, st, []series.Point{old}, t0.Add(3*time.Second))
	if st2.State != Pending || st2.LastT != p1.T {
		t.Fatalf("out-of-order point changed the status: %+v", st2)
	}
}

func TestEvaluateTracksPeakAndTransitionTimes(t *testing.T) {
	r := Rule{Name: "cpu", Series: "db.cpu", Op: Above, Threshold: 80, Severity: Critical, NoData: NoDataState}
	st := Start(r, "db.cpu", t0)
	for i, v := range []float64{85, 97, 91} {
		now := t0.Add(time.Duration(i+1) * time.Second)
		st = Evaluate(r, st, []series.Point{series.At(now, v)}, now)
	}
	if st.State != Firing || st.Peak != 97 || !st.Since.Equal(t0.Add(time.Second)) {
		t.Fatalf("status %+v", st)
	}
}

func TestValidate(t *testing.T) {
	good := Rule{Name: "x", Series: "db.cpu", Op: Above, Threshold: 80, Severity: Warning, NoData: NoDataState}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Rule{
		{Op: "=", Severity: Warning, NoData: NoDataState},
		{Op: Above, M: 4, N: 3, Severity: Warning, NoData: NoDataState},
		{Op: Above, Severity: "page", NoData: NoDataState},
		{Op: Above, Severity: Warning, NoData: "maybe"},
		{Op: Above, Threshold: 80, Clear: f(90), Severity: Warning, NoData: NoDataState},
	}
	for _, r := range bad {
		if r.Validate() == nil {
			t.Errorf("%+v should not validate", r)
		}
	}
}

func TestProblemsListsEveryBadFieldOfARule(t *testing.T) {
	r := Rule{Name: "x", Series: "db.cpu", Op: "=>", Severity: "urgent", NoData: "maybe", For: -time.Second}
	var fields []string
	for _, p := range r.Problems() {
		fields = append(fields, p.Field)
		if !strings.HasPrefix(p.Msg, p.Field+" ") {
			t.Errorf("message %q does not start with its field %q", p.Msg, p.Field)
		}
	}
	if got, want := strings.Join(fields, ","), "op,for,severity,nodata"; got != want {
		t.Errorf("problems on %s, want %s", got, want)
	}
	if err := r.Validate(); err == nil || !strings.HasPrefix(err.Error(), "op ") {
		t.Errorf("Validate = %v, want the op problem first", err)
	}
}
