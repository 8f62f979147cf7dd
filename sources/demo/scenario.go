// Package demo replays the peak-day incident stormwatch was born from: a
// marketing push triples traffic, an internal batch service (server-c) runs
// unindexed scans, the DB CPU pins, the on-call engineer pauses server-c
// and the DB recovers. It is a Source like any other, so the demo runs
// through the same engine, alert rules and UI as production.
package demo

import (
	"math"
	"time"
)

// Loop is the length of one pass through the scenario at 1x.
const Loop = 180 * time.Second

// Phase boundaries, in seconds from the start of a loop.
const (
	pushStart   = 30.0  // the ad push begins
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

var (
	mainCPU = []keyframe{{0, 25}, {pushStart, 26}, {peak, 70}, {pauseAt, 72}, {recoveredAt, 52}, {180, 50}}
	dbCPU   = []keyframe{{0, 30}, {pushStart, 31}, {60, 70}, {peak + 2, 97}, {pauseAt, 97}, {pauseAt + 20, 40}, {180, 40}}
	secCPU  = []keyframe{{0, 12}, {pushStart, 12}, {peak, 22}, {pauseAt, 22}, {recoveredAt, 15}, {180, 14}}
	reqs    = []keyframe{{0, 800}, {pushStart, 800}, {peak - 10, 2400}, {180, 2400}}
	ops     = []keyframe{{0, 400}, {pushStart, 400}, {peak, 1150}, {pauseAt, 1100}, {recoveredAt, 1200}, {180, 1200}}
	conns   = []keyframe{{0, 120}, {pushStart, 120}, {peak, 480}, {pauseAt, 480}, {recoveredAt + 20, 260}, {180, 250}}
	queueR  = []keyframe{{0, 0}, {pushStart + 10, 0}, {peak, 42}, {pauseAt, 45}, {pauseAt + 15, 0}, {180, 0}}
	queueW  = []keyframe{{0, 0}, {pushStart + 15, 0}, {peak, 6}, {pauseAt, 7}, {pauseAt + 10, 0}, {180, 0}}
	latency = []keyframe{{0, 2}, {pushStart, 2}, {peak, 400}, {pauseAt, 420}, {pauseAt + 20, 5}, {180, 4}}
	scan    = []keyframe{{0, 2}, {pushStart, 2}, {pushStart + 15, 1500}, {pauseAt, 1600}, {pauseAt + 5, 3}, {180, 2}}
)

// At returns the scenario state at offset d from the start of a loop.
func At(d time.Duration) State {
	t := math.Mod(d.Seconds(), Loop.Seconds())
	if t < 0 {
		t += Loop.Seconds()
	}
	s := State{
		MainCPU:        interp(mainCPU, t),
		DBCPU:          interp(dbCPU, t),
		SecondaryCPU:   interp(secCPU, t),
		RequestsPerMin: interp(reqs, t),
		OpsPerSec:      interp(ops, t),
		Connections:    interp(conns, t),
		QueueReaders:   interp(queueR, t),
		QueueWriters:   interp(queueW, t),
		LatencyMs:      interp(latency, t),
		ScanRatio:      interp(scan, t),
		ServerCActive:  t >= pushStart && t < pauseAt,
		AlarmState:     "OK",
	}
	// CloudWatch's own alarm on the DB instance: a minute after stormwatch
	// fires (the slow path the team had), back to OK well after recovery.
	if t >= peak+60 && t < 170 {
		s.AlarmState = "ALARM"
	}
	return s
}
