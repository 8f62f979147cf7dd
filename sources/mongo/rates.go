package mongo

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
	add("uptime", s.Uptime)
	add("connections", s.ConnCurrent)
	add("connections.available", s.ConnAvail)
	if s.ConnCurrent.OK && s.ConnAvail.OK && s.ConnCurrent.V+s.ConnAvail.V > 0 {
		out = append(out, value{"connections.used_pct", s.ConnCurrent.V / (s.ConnCurrent.V + s.ConnAvail.V) * 100})
	}
	add("queue.readers", s.QueueR)
	add("queue.writers", s.QueueW)
	add("queue.total", s.QueueT)
	add("active.readers", s.ActiveR)
	add("active.writers", s.ActiveW)
	if s.CacheMax.OK && s.CacheMax.V > 0 {
		if s.CacheBytes.OK {
			out = append(out, value{"cache.fill_pct", s.CacheBytes.V / s.CacheMax.V * 100})
		}
		if s.CacheDirty.OK {
			out = append(out, value{"cache.dirty_pct", s.CacheDirty.V / s.CacheMax.V * 100})
		}
	}
	add("tickets.read", s.TicketsReadOut)
	add("tickets.read.available", s.TicketsReadAvail)
	add("tickets.write", s.TicketsWriteOut)
	add("tickets.write.available", s.TicketsWriteAvail)
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
		out = append(out, value{"cpu.process", pct})
		if cores > 0 {
			pct /= float64(cores)
		}
		out = append(out, value{"cpu", pct})
	}

	out = append(out, opRates("ops", prev.Ops, cur.Ops, dt, delta)...)
	if cur.Repl.Secondary {
		out = append(out, opRates("repl.ops", prev.ReplOps, cur.ReplOps, dt, delta)...)
	}

	for i, n := range latencyNames {
		dl, ok1 := delta(prev.Latency[i], cur.Latency[i])
		dn, ok2 := delta(prev.LatencyOps[i], cur.LatencyOps[i])
		if ok1 && ok2 && dn > 0 {
			out = append(out, value{"latency." + n, dl / dn / 1000})
		}
	}

	perSec("net.in", prev.NetIn, cur.NetIn)
	perSec("net.out", prev.NetOut, cur.NetOut)
	perSec("page_faults", prev.Faults, cur.Faults)
	perSec("asserts", prev.Asserts, cur.Asserts)
	// The database's work, which the engine divides by the API's request
	// rate (db.docs_examined_per_request): more work per request is a
	// query regression, more requests at the same work is load.
	perSec("docs_examined", prev.ScannedObjects, cur.ScannedObjects)
	perSec("keys_examined", prev.Scanned, cur.Scanned)

	if dr, ok := delta(prev.Returned, cur.Returned); ok && dr > 0 {
		if d, ok := delta(prev.ScannedObjects, cur.ScannedObjects); ok {
			out = append(out, value{"scanned_per_returned", d / dr})
		}
		if d, ok := delta(prev.Scanned, cur.Scanned); ok {
			out = append(out, value{"keys_per_returned", d / dr})
		}
	}
	return out
}

// opRates gives one rate per opcounter and their total; the total is left
// out when any counter is missing or reset, so it never undercounts.
func opRates(prefix string, prev, cur [len(opNames)]opt, dt float64, delta func(a, b opt) (float64, bool)) []value {
	var out []value
	total, whole := 0.0, true
	for i, n := range opNames {
		d, ok := delta(prev[i], cur[i])
		if !ok {
			whole = false
			continue
		}
		total += d
		out = append(out, value{prefix + "." + n, d / dt})
	}
	if whole {
		out = append(out, value{prefix + ".total", total / dt})
	}
	return out
}
