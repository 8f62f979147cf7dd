package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/text"
)

// Member labels, shaped like the real sources' (host:port for MongoDB).
const (
	Primary   = "mongo-db:27017"
	Secondary = "mongo-db-2:27017"
)

// Synthetic plays the scenario without any server: it emits the story's
// series directly, in the shapes the real sources give them. It is for
// generating recordings and for tests that need the story without sockets;
// the dashboard's demo runs the real sources against the Backend instead.
type Synthetic struct {
	now   func() time.Time
	start time.Time
	rng   *rand.Rand
	last  time.Duration // offset of the previous poll, to emit marks once
}

// New starts a synthetic scenario at now().
func New(now func() time.Time, seed uint64) *Synthetic {
	return &Synthetic{now: now, start: now(), rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), last: -1}
}

// Name is the synthetic source's name.
func (s *Synthetic) Name() string { return "demo" }

// Poll returns one sample of every series at the current scenario time.
func (s *Synthetic) Poll(ctx context.Context) (sources.Result, error) {
	if err := ctx.Err(); err != nil {
		return sources.Result{}, err
	}
	now := s.now()
	off := now.Sub(s.start)
	st := At(off)
	var res sources.Result
	add := func(name, member string, v float64) {
		res.Samples = append(res.Samples, series.Sample{Key: series.Key(name, member), Point: series.At(now, v)})
	}
	n := func(v, rel float64) float64 { // a little noise, never negative
		v *= 1 + rel*(s.rng.Float64()*2-1)
		if v < 0 {
			return 0
		}
		return v
	}
	clampPct := func(v float64) float64 { return min(max(v, 0), 100) }

	add(catalog.MainCPU, "", clampPct(n(st.MainCPU, 0.04)))
	// A CloudWatch Sum per 1 s period, as the real demo endpoint serves it.
	add(catalog.MainRequests, "", n(st.RequestsPerMin/60, 0.03))
	add(catalog.DB(catalog.CPU), Primary, clampPct(n(st.DBCPU, 0.02)))
	add(catalog.DB(catalog.CPU), Secondary, clampPct(n(st.SecondaryCPU, 0.05)))
	o := n(st.OpsPerSec, 0.03)
	add(catalog.DB(catalog.OpsQuery), Primary, o*0.62)
	add(catalog.DB(catalog.OpsGetmore), Primary, o*0.08)
	add(catalog.DB(catalog.OpsInsert), Primary, o*0.12)
	add(catalog.DB(catalog.OpsUpdate), Primary, o*0.10)
	add(catalog.DB(catalog.OpsDelete), Primary, o*0.01)
	add(catalog.DB(catalog.OpsCommand), Primary, o*0.07)
	add(catalog.DB(catalog.OpsTotal), Primary, o)
	c := float64(int(n(st.Connections, 0.01)))
	add(catalog.DB(catalog.Connections), Primary, c)
	add(catalog.DB(catalog.ConnectionsAvailable), Primary, 819-c)
	add(catalog.DB(catalog.ConnectionsUsedPct), Primary, c/819*100)
	qr, qw := float64(int(n(st.QueueReaders, 0.1))), float64(int(n(st.QueueWriters, 0.1)))
	add(catalog.DB(catalog.QueueReaders), Primary, qr)
	add(catalog.DB(catalog.QueueWriters), Primary, qw)
	add(catalog.DB(catalog.QueueTotal), Primary, qr+qw)
	add(catalog.DB(catalog.LatencyReads), Primary, n(st.LatencyMs, 0.05))
	add(catalog.DB(catalog.LatencyWrites), Primary, n(st.LatencyMs*0.3+1, 0.05))
	add(catalog.DB(catalog.LatencyCommands), Primary, n(1.2, 0.1))
	add(catalog.DB(catalog.ScannedPerReturned), Primary, n(st.ScanRatio, 0.05))
	// Queries return about three documents each; scans examine ScanRatio
	// documents per one returned.
	add(catalog.DB(catalog.DocsExamined), Primary, o*0.62*3*n(st.ScanRatio, 0.05))

	res.Members = []sources.Member{
		{ID: Primary, Role: "PRIMARY", OK: true, LastOK: now},
		{ID: Secondary, Role: "SECONDARY", OK: true, LastOK: now},
	}
	res.Alarms = []sources.Alarm{{
		Name:   text.Clean("mongo-db-cpu-high"),
		State:  st.AlarmState,
		Reason: text.Clean(alarmReason(st.AlarmState)),
		Since:  s.alarmSince(off, now),
	}}
	res.Facts = []sources.Fact{{Key: "scenario", Value: text.Clean(fmt.Sprintf("%s of %s", fmtOffset(loopOffset(off)), Loop))}}
	res.Tables = tables(st)
	if s.last >= 0 && crossed(s.last, off, pauseAt) {
		res.Marks = append(res.Marks, sources.Mark{At: now, Label: text.Clean("paused server-c")})
	}
	s.last = off
	return res, nil
}

// alarmSince is when the CloudWatch alarm entered its current state in the
// current loop.
func (s *Synthetic) alarmSince(off time.Duration, now time.Time) time.Time {
	lo := loopOffset(off)
	var at time.Duration
	switch {
	case lo >= 170*time.Second:
		at = 170 * time.Second
	case lo >= (peak+60)*time.Second:
		at = time.Duration((peak + 60) * float64(time.Second))
	default:
		at = 0
	}
	return now.Add(at - lo)
}
