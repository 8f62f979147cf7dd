package sources

import (
	"math/rand/v2"
	"time"
)

// Backoff is how long to wait after n consecutive failures (n >= 1): base
// after the first, doubled for each one after, at most max. The one
// exponential backoff of the program: the engine's wait after a failed
// poll, a MongoDB member left alone after failing, a hook's next delivery.
//
// A pure function of the failure count, which the engine already shows in
// a source's health, so it is table-tested and a replay waits exactly as
// production would. (cenkalti/backoff/v5 was considered: its
// ExponentialBackOff is a stateful iterator for a retry loop, and would have
// to be replayed n times to answer "the wait after n failures".)
func Backoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// Jitter spreads d at random by ±frac (0.2 is ±20%), so many clients that
// failed together do not retry in step.
func Jitter(d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 - frac + 2*frac*rand.Float64()))
}
