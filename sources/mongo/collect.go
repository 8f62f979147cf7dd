package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/text"
)

// collect applies one round of member results to the members' state and
// builds the poll's Result.
func (s *Source) collect(ctx context.Context, now time.Time, results []memberResult) sources.Result {
	var res sources.Result
	moved := map[string][]target{} // set name -> its members, as a member now reports them
	for i := range results {
		r := &results[i]
		m := r.m
		if s.members[m.addr] != m {
			continue // a late reply from a member discovery has since dropped
		}
		switch {
		case r.skipped:
		case r.err != nil:
			m.fails++
			m.lastErr = r.err
			m.retryAt = now.Add(backoff(m.fails, s.cfg.Interval))
			if m.role == rolePrimary || m.role == roleMongos {
				s.stale = true // the primary may have moved: look again
			}
		default:
			m.fails, m.lastErr, m.retryAt, m.lastOK = 0, nil, time.Time{}, now
			if r.storage {
				m.storageAt = now
			}
			if r.cores != 0 {
				m.triedCores = true
				m.cores = max(r.cores, 0)
			}
			res.Samples = append(res.Samples, s.samples(m, r.st, now)...)
			st := r.st
			m.prev = &st
			m.version, m.process = st.Version, st.Process
			if t := s.refine(m, st); t != nil {
				moved[st.Repl.SetName] = t
			}
		}
		if r.repl != nil {
			res.Samples = append(res.Samples, s.applyRepl(*r.repl, now)...)
			delete(s.notes, "repl lag")
		}
		if r.replErr != nil {
			s.noteRepl(r.replErr)
		}
	}
	for set, targets := range moved {
		s.apply(ctx, targets, func(m *member) bool { return m.set == set })
	}
	for _, addr := range s.order {
		res.Members = append(res.Members, s.memberView(s.members[addr], now))
	}
	res.Facts = s.facts()
	return res
}

// samples stamps one member's values with the server's own clock, so a
// slow reply does not shift its points; the local clock only stands in for
// a server that sends no localTime.
func (s *Source) samples(m *member, st status, now time.Time) []series.Sample {
	t := st.LocalTime
	if t.IsZero() {
		t = now
	}
	vals := append(gauges(st), rates(m.prev, st, m.cores)...)
	out := make([]series.Sample, 0, len(vals))
	for _, v := range vals {
		if v.Name == "cpu" && m.cores == 0 {
			s.notes["cpu"] = "% of one core: core count unknown (hostInfo unavailable) on " + m.addr
		}
		out = append(out, series.Sample{Key: series.Key(s.cfg.Name+"."+v.Name, s.label(m.addr)), Point: series.At(t, v.V)})
	}
	return out
}

// refine sets the member's role from its own serverStatus, which is how a
// failover shows up without waiting for re-discovery. When the member's view
// of its set (serverStatus.repl holds what hello would) differs from the
// members being polled, it returns the set's members as that view has them,
// so a member added or removed is followed at once, at no extra round trip.
func (s *Source) refine(m *member, st status) []target {
	r := st.Repl
	switch {
	case st.Mongos:
		m.role = roleMongos
	case r.SetName == "":
		m.role = roleStandalone
	case r.Primary:
		m.role = rolePrimary
	case r.Secondary:
		m.role = roleSecondary
	case r.Arbiter:
		m.role = roleArbiter
	}
	if r.SetName == "" || len(r.Hosts) == 0 || s.direct {
		return nil
	}
	view := append(slices.Clone(r.Hosts), r.Arbiters...)
	var known []string
	for addr, o := range s.members {
		if o.set == r.SetName {
			known = append(known, addr)
		}
	}
	slices.Sort(view)
	slices.Sort(known)
	if m.set == r.SetName && slices.Equal(view, known) {
		return nil
	}
	targets := setTargets(helloInfo{SetName: r.SetName, Hosts: r.Hosts, Arbiters: r.Arbiters, Primary: r.PrimaryHost}, m.shard)
	for i := range targets {
		if o := s.members[targets[i].addr]; o != nil && targets[i].role != roleArbiter {
			targets[i].role = "" // keep what the member said of itself
		}
	}
	return targets
}

// applyRepl turns one replSetGetStatus into lag points for every member and
// the health of the arbiters, which are never polled themselves.
func (s *Source) applyRepl(rs replStatus, now time.Time) []series.Sample {
	t := rs.Date
	if t.IsZero() {
		t = now
	}
	var out []series.Sample
	lag := rs.lag()
	names := make([]string, 0, len(lag))
	for n := range lag {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		out = append(out, series.Sample{Key: series.Key(s.cfg.Name+"."+catalog.ReplLag, s.label(n)), Point: series.At(t, lag[n])})
	}
	for _, rm := range rs.Members {
		m := s.members[rm.Name]
		if m == nil || m.pollable() {
			continue
		}
		if rm.Healthy {
			m.lastErr, m.lastOK = nil, now
		} else {
			m.lastErr = fmt.Errorf("%w: %s per replSetGetStatus", sources.ErrUnreachable, rm.State)
		}
	}
	return out
}

func (s *Source) noteRepl(err error) {
	switch {
	case errors.Is(err, sources.ErrNotFound):
		// FerretDB and some managed services have no replSetGetStatus:
		// lag is not available, and that is not the member's fault.
		s.notes["repl lag"] = "not available (" + err.Error() + ")"
	default:
		s.notes["repl lag"] = "unavailable: " + err.Error()
	}
}

func (s *Source) memberView(m *member, now time.Time) sources.Member {
	v := sources.Member{ID: s.label(m.addr), Role: m.role, Shard: m.shard, LastOK: m.lastOK}
	switch {
	case m.busy():
		v.Error = fmt.Sprintf("slow: no reply within %s", s.roundWait())
	case m.lastErr != nil:
		v.Error = m.lastErr.Error()
		if wait := m.retryAt.Sub(now); m.pollable() && wait > s.cfg.Interval/2 {
			v.Error += fmt.Sprintf("; next try in %s", wait.Round(time.Second))
		}
	case m.pollable():
		v.OK = m.lastOK.Equal(now)
	default:
		v.OK = true // an arbiter nobody reported unhealthy
	}
	return v
}

// label is how a member is named on screen and in series keys: its alias
// when the config gives one (EC2 private DNS names are long and say
// nothing), else host:port as the set reports it.
func (s *Source) label(addr string) string {
	if a := s.cfg.Aliases[addr]; a != "" {
		return a
	}
	// A member's address can come from the server (hello's hosts), so it
	// is outside text: it names series and shows on every panel.
	return text.Clean(addr).String()
}

// byLabel finds a member by the ID it has in Result.Members.
func (s *Source) byLabel(id string) *member {
	if m := s.members[id]; m != nil {
		return m
	}
	for addr, m := range s.members {
		if s.label(addr) == id {
			return m
		}
	}
	return nil
}
