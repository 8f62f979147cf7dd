package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Narrator is the demo's narrator. The numbers come from the real MongoDB and
// CloudWatch sources polling the Backend; the narrator adds only what a
// person would: the moment the on-call engineer pauses server-c, and where
// in the story the replay is.
type Narrator struct {
	now   func() time.Time
	start time.Time
	sc    *Scenario
	last  time.Duration // offset of the previous poll, to emit marks once
}

// NewNarrator starts the narration; start must be the Backend's start.
func NewNarrator(now func() time.Time, start time.Time) *Narrator {
	return &Narrator{now: now, start: start, sc: Peak, last: -1}
}

// narrator is the narrator of the backend's scenario.
func (b *Backend) narrator(now func() time.Time) *Narrator {
	n := NewNarrator(now, b.Start)
	n.sc = b.Scenario
	return n
}

// Name is the narrator's source name.
func (s *Narrator) Name() string { return "scenario" }

// Poll reports the scenario's position and any action taken since the last
// poll.
func (s *Narrator) Poll(ctx context.Context) (sources.Result, error) {
	if err := ctx.Err(); err != nil {
		return sources.Result{}, err
	}
	now := s.now()
	off := now.Sub(s.start)
	var res sources.Result
	phase := s.sc.phase(loopOffset(off).Seconds())
	res.Facts = []sources.Fact{{Key: "scenario", Value: text.Clean(fmt.Sprintf("%s/%s %s", fmtOffset(loopOffset(off)), fmtOffset(Loop), phase))}}
	if s.last >= 0 && s.sc.serverC[1] > s.sc.serverC[0] && crossed(s.last, off, s.sc.serverC[1]) {
		res.Marks = append(res.Marks, sources.Mark{At: now, Label: text.Clean("paused server-c")})
	}
	s.last = off
	return res, nil
}

// phase names where in the story second t of a loop is.
func (sc *Scenario) phase(t float64) string {
	scans := sc.serverC[1] > sc.serverC[0]
	switch {
	case scans && t >= recoveredAt:
		return "recovery"
	case scans && t >= sc.serverC[1]:
		return "server-c paused"
	case scans && t >= sc.serverC[0]:
		return "server-c scanning"
	case t >= pushStart:
		return "ad push: traffic x3"
	}
	return "calm"
}

func loopOffset(off time.Duration) time.Duration {
	return off % Loop
}

// crossed reports whether the scenario passed second t of a loop between
// the offsets from and to.
func crossed(from, to time.Duration, t float64) bool {
	mark := time.Duration(t * float64(time.Second))
	for base := from - from%Loop; base <= to; base += Loop {
		if m := base + mark; m > from && m <= to {
			return true
		}
	}
	return false
}

func fmtOffset(d time.Duration) string {
	d = d.Truncate(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
