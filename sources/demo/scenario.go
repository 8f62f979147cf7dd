// Package demo replays the peak-day incident stormwatch was born from: a
// marketing push triples traffic, an internal batch service (server-c) runs
// unindexed scans, the DB CPU pins, the on-call engineer pauses server-c
// and the DB recovers. It is a Source like any other, so the demo runs
// through the same engine, alert rules and UI as production.
package demo

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Loop is the length of one pass through the scenario at 1x.
const Loop = 180 * time.Second

// Phase boundaries, in seconds from the start of a loop.
const (
	pushStart   = 30.0  // the ad push begins
	scansStart  = 50.0  // server-c starts its unindexed scans
	peak        = 70.0  // everything is at its worst
	pauseAt     = 110.0 // the engineer pauses server-c
	recoveredAt = 130.0 // DB load back to normal
)

// State is the scenario at one instant, before noise.
type State struct {
	MainCPU        float64 // % of the API server
	DBCPU          float64 // % of the DB primary's machine
	SecondaryCPU   float64
	RequestsPerMin float64
	OpsPerSec      float64 // all op types on the primary
	Connections    float64
	QueueReaders   float64
	QueueWriters   float64
	LatencyMs      float64 // average read latency
	ScanRatio      float64 // scanned objects per returned document
	ServerCActive  bool    // server-c is running its scans
	AlarmState     string  // the CloudWatch alarm on the DB instance
}

// keyframe is a value at a time; values between keyframes are linear.
type keyframe struct{ t, v float64 }

func interp(frames []keyframe, t float64) float64 {
	if t <= frames[0].t {
		return frames[0].v
	}
	for i := 1; i < len(frames); i++ {
		if t <= frames[i].t {
			a, b := frames[i-1], frames[i]
			return a.v + (b.v-a.v)*(t-a.t)/(b.t-a.t)
		}
	}
	return frames[len(frames)-1].v
}

// Scenario is one story the demo can tell: each signal's keyframes over a
// loop, and when server-c runs its scans.
type Scenario struct {
	Name, About                              string
	mainCPU, dbCPU, secCPU, reqs, ops, conns []keyframe
	queueR, queueW, latency, scan            []keyframe
	// serverC is the part of a loop [from, to) in seconds when server-c
	// runs its unindexed scans; from == to means never.
	serverC [2]float64
	// alarm says whether the CloudWatch alarm on the DB instance fires.
	alarm bool
}

// Peak is the peak-day incident: the ad push triples traffic from 0:30,
// and twenty seconds later server-c starts its unindexed scans on top of
// it, so the verdict names the load first and the regression after.
var Peak = &Scenario{
	Name:    "peak",
	About:   "an ad push triples traffic, then server-c's unindexed scans pin the DB",
	mainCPU: []keyframe{{0, 25}, {pushStart, 26}, {peak, 70}, {pauseAt, 72}, {recoveredAt, 52}, {180, 50}},
	dbCPU:   []keyframe{{0, 30}, {pushStart, 31}, {scansStart, 55}, {60, 75}, {peak + 2, 97}, {pauseAt, 97}, {pauseAt + 20, 40}, {180, 40}},
	secCPU:  []keyframe{{0, 12}, {pushStart, 12}, {peak, 22}, {pauseAt, 22}, {recoveredAt, 15}, {180, 14}},
	reqs:    []keyframe{{0, 800}, {pushStart, 800}, {peak - 10, 2400}, {180, 2400}},
	ops:     []keyframe{{0, 400}, {pushStart, 400}, {peak, 1150}, {pauseAt, 1100}, {recoveredAt, 1200}, {180, 1200}},
	conns:   []keyframe{{0, 120}, {pushStart, 120}, {peak, 480}, {pauseAt, 480}, {recoveredAt + 20, 260}, {180, 250}},
	queueR:  []keyframe{{0, 0}, {scansStart + 2, 0}, {peak, 42}, {pauseAt, 45}, {pauseAt + 15, 0}, {180, 0}},
	queueW:  []keyframe{{0, 0}, {scansStart + 5, 0}, {peak, 6}, {pauseAt, 7}, {pauseAt + 10, 0}, {180, 0}},
	latency: []keyframe{{0, 2}, {pushStart, 2}, {scansStart, 6}, {peak, 400}, {pauseAt, 420}, {pauseAt + 20, 5}, {180, 4}},
	scan:    []keyframe{{0, 2}, {scansStart, 2}, {scansStart + 15, 1500}, {pauseAt, 1600}, {pauseAt + 1, 3}, {180, 2}},
	serverC: [2]float64{scansStart, pauseAt},
	alarm:   true,
}

// TrafficOnly is the same ad push with no regression: traffic triples, the
// API and the DB work harder in proportion, and nothing scans. The verdict
// must say LOAD and nothing else.
var TrafficOnly = &Scenario{
	Name:    "traffic",
	About:   "an ad push triples traffic; every query stays indexed",
	mainCPU: Peak.mainCPU,
	dbCPU:   []keyframe{{0, 30}, {pushStart, 31}, {peak - 10, 62}, {180, 60}},
	secCPU:  []keyframe{{0, 12}, {pushStart, 12}, {peak, 18}, {180, 17}},
	reqs:    Peak.reqs,
	ops:     []keyframe{{0, 400}, {pushStart, 400}, {peak - 10, 1200}, {180, 1200}},
	conns:   []keyframe{{0, 120}, {pushStart, 120}, {peak, 300}, {180, 300}},
	queueR:  []keyframe{{0, 0}, {180, 0}},
	queueW:  []keyframe{{0, 0}, {180, 0}},
	latency: []keyframe{{0, 2}, {pushStart, 2}, {peak, 4}, {180, 4}},
	scan:    []keyframe{{0, 2}, {180, 2}},
}

// Scenarios are the built-in stories, the default first.
var Scenarios = []*Scenario{Peak, TrafficOnly}

// ScenarioNamed finds a built-in scenario; "" is the default.
func ScenarioNamed(name string) (*Scenario, error) {
	if name == "" {
		return Peak, nil
	}
	var names []string
	for _, sc := range Scenarios {
		if sc.Name == name {
			return sc, nil
		}
		names = append(names, sc.Name)
	}
	return nil, fmt.Errorf("no demo scenario %q (there are: %s)", name, strings.Join(names, ", "))
}

// At returns the default scenario's state at offset d from the start of a
// loop.
func At(d time.Duration) State { return Peak.At(d) }

// At returns the scenario's state at offset d from the start of a loop.
func (sc *Scenario) At(d time.Duration) State {
	t := math.Mod(d.Seconds(), Loop.Seconds())
	if t < 0 {
		t += Loop.Seconds()
	}
	s := State{
		MainCPU:        interp(sc.mainCPU, t),
		DBCPU:          interp(sc.dbCPU, t),
		SecondaryCPU:   interp(sc.secCPU, t),
		RequestsPerMin: interp(sc.reqs, t),
		OpsPerSec:      interp(sc.ops, t),
		Connections:    interp(sc.conns, t),
		QueueReaders:   interp(sc.queueR, t),
		QueueWriters:   interp(sc.queueW, t),
		LatencyMs:      interp(sc.latency, t),
		ScanRatio:      interp(sc.scan, t),
		ServerCActive:  t >= sc.serverC[0] && t < sc.serverC[1],
		AlarmState:     "OK",
	}
	// CloudWatch's own alarm on the DB instance: a minute after stormwatch
	// fires (the slow path the team had), back to OK well after recovery.
	if sc.alarm && t >= peak+60 && t < 170 {
		s.AlarmState = "ALARM"
	}
	return s
}
