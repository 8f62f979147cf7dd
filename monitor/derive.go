package monitor

import (
	"strings"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/verdict"
)

// requestSeries is the series the per-request series divide by.
func (e *Engine) requestSeries() string {
	return e.cfg.Verdict.WithDefaults().Requests
}

// deriveLocked appends the per-request series (db.docs_examined_per_request,
// db.ops_per_request, one per member) from the database's work rates and
// the API's request count. They are the engine's because only the engine
// sees both sources; they are stored like any other series, so they can be
// drawn and alerted on. Each derived point covers one period of the
// request series and appears once the work series has covered that
// period, whichever source polled last.
func (e *Engine) deriveLocked() {
	req := e.store[e.requestSeries()]
	if req == nil {
		return
	}
	rv := req.View()
	period := verdict.Period(rv)
	if period <= 0 {
		return
	}
	tail := rv.Tail(maxCatchUp)
	for k, r := range e.store {
		name, member := series.SplitKey(k)
		src, rest, ok := strings.Cut(name, ".")
		derived, ok2 := verdict.Derived[rest]
		if !ok || !ok2 {
			continue
		}
		dk := series.Key(src+"."+derived, member)
		d := e.store[dk]
		after := int64(0)
		if d != nil {
			if last, ok := d.Last(); ok {
				after = last.T
			}
		}
		pts := verdict.PerRequest(tail, period, r.View(), after)
		if len(pts) == 0 {
			continue
		}
		if d == nil {
			d = series.NewTiered(e.cfg.Store)
			e.store[dk] = d
			e.owner[dk] = e.owner[e.requestSeries()]
		}
		for _, p := range pts {
			d.Append(p)
		}
		e.lag[dk] = e.lag[e.requestSeries()] + period
	}
}
