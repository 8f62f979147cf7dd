package monitor

import "time"

// sweepEvery is how often the engine looks for series that stopped.
const sweepEvery = time.Minute

// sweepLocked forgets the series whose newest point is older than the
// store keeps anything (series.Layout.Keeps): a live series would hold none
// of those points either, so nothing is lost, but a member replaced or an
// instance scaled in would otherwise keep its last points, and its key,
// for the life of the process. Alert statuses stay: a rule on that key
// still says NO DATA, and picks up again if the series comes back.
func (e *Engine) sweepLocked(now time.Time) {
	keep := e.cfg.Store.Keeps()
	if keep <= 0 || now.Sub(e.swept) < sweepEvery {
		return
	}
	e.swept = now
	cut := now.Add(-keep).UnixMilli()
	for k, r := range e.store {
		if last, ok := r.Last(); !ok || last.T < cut {
			delete(e.store, k)
			delete(e.owner, k)
			delete(e.lag, k)
		}
	}
}
