package mongo

import "github.com/stormwatch/stormwatch/sources/catalog"

// value is one derived number before it gets its series key and timestamp.
// Name has no source prefix: "cpu", "ops.insert".
type value struct {
	Name string
	V    float64
}

// gauges are the values one sample gives on its own.
func gauges(s status) []value {
	var out []value
	add := func(name string, o opt) {
		if o.OK {
			out = append(out, value{name, o.V})
		}
	}
	add(catalog.Uptime, s.Uptime)
	add(catalog.Connections, s.ConnCurrent)
	add(catalog.ConnectionsAvailable, s.ConnAvail)
	if s.ConnCurrent.OK && s.ConnAvail.OK && s.ConnCurrent.V+s.ConnAvail.V > 0 {
		out = append(out, value{catalog.ConnectionsUsedPct, s.ConnCurrent.V / (s.ConnCurrent.V + s.ConnAvail.V) * 100})
	}
	add(catalog.QueueReaders, s.QueueR)
	add(catalog.QueueWriters, s.QueueW)
	add(catalog.QueueTotal, s.QueueT)
	add(catalog.ActiveReaders, s.ActiveR)
	add(catalog.ActiveWriters, s.ActiveW)
	if s.CacheMax.OK && s.CacheMax.V > 0 {
		if s.CacheBytes.OK {
			out = append(out, value{catalog.CacheFillPct, s.CacheBytes.V / s.CacheMax.V * 100})
		}
		if s.CacheDirty.OK {
			out = append(out, value{catalog.CacheDirtyPct, s.CacheDirty.V / s.CacheMax.V * 100})
		}
	}
	add(catalog.TicketsRead, s.TicketsReadOut)
	add(catalog.TicketsReadAvailable, s.TicketsReadAvail)
	add(catalog.TicketsWrite, s.TicketsWriteOut)
	add(catalog.TicketsWriteAvailable, s.TicketsWriteAvail)
	return out
}

// restarted reports whether cur comes from a different process than prev:
// every counter started again from zero, so no difference means anything.
func restarted(prev, cur status) bool {
	if prev.Pid.OK && cur.Pid.OK && prev.Pid.V != cur.Pid.V {
		return true
	}
	return prev.UptimeMillis.OK && cur.UptimeMillis.OK && cur.UptimeMillis.V < prev.UptimeMillis.V
}

// rates turns two consecutive samples of one member into per-second rates
// over the server's own clock (localTime), so a slow reply does not bend
// the rate. cores divides the process CPU into a share of the whole machine;
// 0 means unknown and leaves "cpu" undivided.
//
// No point is emitted for the first sample (prev nil), when no time passed,
// after a restart, or for a counter that went backwards (a reset): a spike
// of minus a million ops/s helps nobody during an incident.
func rates(prev *status, cur status, cores int) []value {
	if prev == nil || prev.LocalTime.IsZero() || cur.LocalTime.IsZero() || restarted(*prev, cur) {
		return nil
	}
	dt := cur.LocalTime.Sub(prev.LocalTime).Seconds()
	if dt <= 0 {
		return nil
	}
	var out []value
	delta := func(a, b opt) (float64, bool) {
		if !a.OK || !b.OK || b.V < a.V {
			return 0, false
		}
		return b.V - a.V, true
	}
	perSec := func(name string, a, b opt) {
		if d, ok := delta(a, b); ok {
			out = append(out, value{name, d / dt})
		}
	}

	du, ok1 := delta(prev.UserUs, cur.UserUs)
	ds, ok2 := delta(prev.SystemUs, cur.SystemUs)
	if ok1 && ok2 {
		pct := (du + ds) / 1e6 / dt * 100
		out = append(out, value{catalog.CPUProcess, pct})
		if cores > 0 {
			pct /= float64(cores)
		}
		out = append(out, value{catalog.CPU, pct})
	}

	out = append(out, opRates(catalog.OpSeries, prev.Ops, cur.Ops, dt, delta)...)
	if cur.Repl.Secondary {
		out = append(out, opRates(catalog.ReplOpSeries, prev.ReplOps, cur.ReplOps, dt, delta)...)
	}

	for i := range latencyNames {
		dl, ok1 := delta(prev.Latency[i], cur.Latency[i])
		dn, ok2 := delta(prev.LatencyOps[i], cur.LatencyOps[i])
		if ok1 && ok2 && dn > 0 {
			out = append(out, value{catalog.LatencySeries[i], dl / dn / 1000})
		}
	}

	perSec(catalog.NetIn, prev.NetIn, cur.NetIn)
	perSec(catalog.NetOut, prev.NetOut, cur.NetOut)
	perSec(catalog.PageFaults, prev.Faults, cur.Faults)
	perSec(catalog.Asserts, prev.Asserts, cur.Asserts)
	// The database's work, which the engine divides by the API's request
	// rate (db.docs_examined_per_request): more work per request is a
	// query regression, more requests at the same work is load.
	perSec(catalog.DocsExamined, prev.ScannedObjects, cur.ScannedObjects)
	perSec(catalog.KeysExamined, prev.Scanned, cur.Scanned)

	if dr, ok := delta(prev.Returned, cur.Returned); ok && dr > 0 {
		if d, ok := delta(prev.ScannedObjects, cur.ScannedObjects); ok {
			out = append(out, value{catalog.ScannedPerReturned, d / dr})
		}
		if d, ok := delta(prev.Scanned, cur.Scanned); ok {
			out = append(out, value{catalog.KeysPerReturned, d / dr})
		}
	}
	return out
}

// opRates gives one rate per opcounter and their total (names: one per
// opcounter, then the total); the total is left
// out when any counter is missing or reset, so it never undercounts.
func opRates(names [len(opNames) + 1]string, prev, cur [len(opNames)]opt, dt float64, delta func(a, b opt) (float64, bool)) []value {
	var out []value
	total, whole := 0.0, true
	for i := range opNames {
		d, ok := delta(prev[i], cur[i])
		if !ok {
			whole = false
			continue
		}
		total += d
		out = append(out, value{names[i], d / dt})
	}
	if whole {
		out = append(out, value{names[len(opNames)], total / dt})
	}
	return out
}
