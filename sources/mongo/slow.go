package mongo

import (
	"fmt"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

// A diagnostic command that takes more than half its deadline is a sign
// the server is struggling, and stormwatch must never add to an outage:
// that command's interval doubles for each slow answer in a row (up to
// maxBackoff, the longest a failing member is left alone) and returns to
// normal with the first fast one. The status line says which commands run
// less often (sources.FactSlowed).

// slowdown is one command's run of slow answers.
type slowdown struct {
	n    int           // slow answers in a row
	took time.Duration // the last one's round trip
}

// observe records one answer's round trip against the command's deadline.
func (d *slowdown) observe(took, deadline time.Duration) {
	if took > deadline/2 {
		d.n, d.took = d.n+1, took
		return
	}
	d.n, d.took = 0, 0
}

// every is the command's interval now: its own, doubled per slow answer.
func (d slowdown) every(base time.Duration) time.Duration {
	if d.n == 0 || base <= 0 {
		return base
	}
	return sources.Backoff(2*base, max(maxBackoff, base), d.n)
}

// slowed lists the diagnostic commands running less often than configured
// ("$currentOp every 20s (took 640ms of 1s)"), "" when none is.
func (s *Source) slowed() string {
	c := s.cul
	var out []string
	for _, j := range []struct {
		name string
		job  *job
	}{{"$currentOp", &c.clients}, {"top", &c.hot}, {"$currentOp sample", &c.shapeJ}} {
		if d := j.job.slow; d.n > 0 {
			out = append(out, fmt.Sprintf("%s every %s (took %s of %s)", j.name, d.every(j.job.every),
				d.took.Round(time.Millisecond), culpritMaxTime))
		}
	}
	return strings.Join(out, ", ")
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
