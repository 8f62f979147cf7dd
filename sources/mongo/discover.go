package mongo

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// target is one member that discovery says should be polled.
type target struct {
	addr, role, set, shard string
}

// discover asks the deployment what it is made of: hello on a known member
// (the primary first) or a seed, and for a mongos listShards plus one hello
// per shard. It runs on the first poll, every rediscoverEvery, and after a
// member reported a change of membership or the primary failed; members that
// appear are picked up and members that vanish are dropped, without restart.
func (s *Source) discover(ctx context.Context) error {
	s.discoveredAt, s.stale = s.now(), false
	var lastErr error
	for _, addr := range s.candidates(ctx) {
		h, err := s.hello(ctx, addr)
		if err != nil {
			s.members[addr].lastErr = err
			lastErr = fmt.Errorf("%s: %w", addr, err)
			continue
		}
		s.apply(ctx, s.targets(ctx, addr, h), func(*member) bool { return true })
		delete(s.notes, "discovery")
		return nil
	}
	if lastErr == nil {
		lastErr = fmt.Errorf("no host to ask")
	}
	s.notes["discovery"] = "failed: " + lastErr.Error()
	return lastErr
}

// candidates lists who to ask, best first: the known primary or mongos, the
// other members that answered last time, the seeds from the URI (or its SRV
// record), and last the members that are failing, so a dead primary does
// not cost the poll a timeout before anyone useful is asked.
func (s *Source) candidates(ctx context.Context) []string {
	var out []string
	add := func(a string) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	healthy := func(m *member) bool { return m.pollable() && !m.busy() && m.lastErr == nil && !m.lastOK.IsZero() }
	for _, addr := range s.order {
		if m := s.members[addr]; healthy(m) && (m.role == rolePrimary || m.role == roleMongos) {
			add(addr)
		}
	}
	for _, addr := range s.order {
		if m := s.members[addr]; healthy(m) {
			add(addr)
		}
	}
	var failing []string
	seeds := s.seeds
	if s.srv != "" {
		seeds = append(slices.Clone(seeds), s.resolveSRV(ctx)...)
	}
	for _, a := range seeds {
		if m := s.members[a]; m != nil && m.lastErr != nil {
			failing = append(failing, a)
			continue
		}
		add(a)
	}
	for _, addr := range s.order {
		if s.members[addr].pollable() {
			failing = append(failing, addr)
		}
	}
	for _, a := range failing {
		add(a)
	}
	return out
}

func (s *Source) resolveSRV(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	_, recs, err := net.DefaultResolver.LookupSRV(ctx, "mongodb", "tcp", s.srv)
	if err != nil {
		s.notes["discovery"] = "SRV lookup: " + detail(err)
		return nil
	}
	var out []string
	for _, r := range recs {
		out = append(out, net.JoinHostPort(strings.TrimSuffix(r.Target, "."), strconv.Itoa(int(r.Port))))
	}
	return out
}

// hello runs hello on addr over that member's own client, creating the
// member (without a role) if discovery has not placed it yet.
func (s *Source) hello(ctx context.Context, addr string) (helloInfo, error) {
	raw, err := s.runOn(ctx, addr, bson.D{{Key: "hello", Value: 1}})
	if err != nil {
		return helloInfo{}, classify("hello", err)
	}
	return parseHello(raw), nil
}

func (s *Source) runOn(ctx context.Context, addr string, cmd bson.D) (bson.Raw, error) {
	m := s.members[addr]
	if m == nil {
		m = &member{addr: addr}
		s.members[addr] = m
	}
	c, err := s.connect(m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	return run(ctx, c, cmd)
}

// targets turns one hello into the members to poll.
func (s *Source) targets(ctx context.Context, addr string, h helloInfo) []target {
	switch {
	case s.direct:
		s.kind = "direct connection"
		role := roleStandalone
		switch {
		case h.Mongos:
			role = roleMongos
		case h.SetName != "":
			role = ""
		}
		return []target{{addr: addr, role: role, set: h.SetName}}
	case h.Mongos:
		out := []target{{addr: addr, role: roleMongos}}
		for _, seed := range s.seeds {
			if seed != addr {
				out = append(out, target{addr: seed, role: roleMongos})
			}
		}
		raw, err := s.runOn(ctx, addr, bson.D{{Key: "listShards", Value: 1}})
		if err != nil {
			s.notes["discovery"] = "shards unknown: " + classify("listShards", err).Error()
			s.kind = "sharded (shards unknown)"
			return out
		}
		shards := parseShards(raw)
		for _, sh := range shards {
			out = append(out, s.shardTargets(ctx, sh)...)
		}
		s.kind = fmt.Sprintf("sharded: %d shards", len(shards))
		return out
	case h.SetName != "":
		s.kind = fmt.Sprintf("replica set %s: %d members", h.SetName, len(h.Hosts)+len(h.Arbiters))
		return setTargets(h, "")
	}
	s.kind = "standalone"
	return []target{{addr: addr, role: roleStandalone}}
}

// shardTargets asks one member of a shard for the shard's full membership
// (listShards omits arbiters and hidden members may have moved).
func (s *Source) shardTargets(ctx context.Context, sh shard) []target {
	for _, a := range sh.Hosts {
		if h, err := s.hello(ctx, a); err == nil && h.SetName != "" {
			return setTargets(h, sh.Name)
		}
	}
	var out []target
	for _, a := range sh.Hosts {
		out = append(out, target{addr: a, set: sh.SetName, shard: sh.Name})
	}
	return out
}

func setTargets(h helloInfo, shardName string) []target {
	var out []target
	for _, a := range h.Hosts {
		role := roleSecondary
		if a == h.Primary {
			role = rolePrimary
		}
		out = append(out, target{addr: a, role: role, set: h.SetName, shard: shardName})
	}
	for _, a := range h.Arbiters {
		out = append(out, target{addr: a, role: roleArbiter, set: h.SetName, shard: shardName})
	}
	return out
}

// apply makes the members in scope match the targets: new members are
// added, vanished ones are disconnected and dropped. Members out of scope
// (other shards, when one set's membership changed) are left alone.
func (s *Source) apply(ctx context.Context, targets []target, scope func(*member) bool) {
	keep := map[string]bool{}
	for _, t := range targets {
		keep[t.addr] = true
		m := s.members[t.addr]
		if m == nil {
			m = &member{addr: t.addr}
			s.members[t.addr] = m
		}
		m.set, m.shard = t.set, t.shard
		if t.role != "" {
			m.role = t.role
		}
		if m.role == roleArbiter {
			m.close(ctx)
		}
	}
	for addr, m := range s.members {
		if !keep[addr] && scope(m) {
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			m.close(cctx)
			cancel()
			delete(s.members, addr)
		}
	}
	s.reorder()
}

// reorder sorts the members for display: mongos first, then by shard, then
// by address, so a failover does not reshuffle the list.
func (s *Source) reorder() {
	s.order = s.order[:0]
	for addr := range s.members {
		s.order = append(s.order, addr)
	}
	slices.SortFunc(s.order, func(a, b string) int {
		ma, mb := s.members[a], s.members[b]
		if (ma.role == roleMongos) != (mb.role == roleMongos) {
			if ma.role == roleMongos {
				return -1
			}
			return 1
		}
		if c := strings.Compare(ma.shard, mb.shard); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}
