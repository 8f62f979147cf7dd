package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// fleetLegend names the hot lines with their values, then the band.
func fleetLegend(p Panel, lines []graphLine, th theme) string {
	n := min(fleetHot, len(lines))
	var parts []string
	for i, gl := range lines[:n] {
		v := "–"
		if gl.has {
			v = fmt.Sprintf("%.0f", gl.last) + withUnit(p.Unit)
		}
		parts = append(parts, th.fg(lineColor(p, i), lineGlyph(i)+" "+memberName(gl.member, gl.shard, gl.role, false)+" "+v))
	}
	parts = append(parts, th.dim.Render(fmt.Sprintf("%s %d more %s median", bandGlyph, len(lines)-n, medianGlyph)),
		th.fg(p.Color, primaryGlyph+" primaries"))
	return strings.Join(parts, "  ")
}

// memberName is how the screen names a member, the one place that says it
// for the graph legend, the status line, the DB strip and the alert rows.
// In a sharded cluster a shard and a role say more than a private IP and
// port: "shard-07 P", or spelled out where there is room, "shard-07
// primary". Without a shard it is the member's ID ("mongo-1:27017", spelled
// out with its role: "mongo-1:27017 primary").
func memberName(id, shard, role string, spelled bool) string {
	switch {
	case spelled:
		name := id
		if shard != "" {
			name = shard
		}
		return strings.TrimSpace(name + " " + strings.ToLower(role))
	case shard == "":
		return id
	case role == "":
		return shard + " " + id
	}
	return shard + " " + role[:1]
}

// shownKey is how an alert names its series on screen: the member by
// memberName where its shard is known ("db.cpu@shard-07 P"), else the key
// itself ("db.cpu@mongo-1:27017"). The key stays the alert's identity.
func shownKey(snap *monitor.Snapshot, key string) string {
	name, id := series.SplitKey(key)
	if id == "" || snap == nil {
		return key
	}
	for _, s := range snap.Sources {
		for _, m := range s.Members {
			if m.ID == id && m.Shard != "" {
				return series.Key(name, memberName(m.ID, m.Shard, m.Role, false))
			}
		}
	}
	return key
}

// memberShards maps member IDs to their shard across all sources.
func memberShards(snap *monitor.Snapshot) map[string]string {
	out := map[string]string{}
	for _, s := range snap.Sources {
		for _, m := range s.Members {
			if m.Shard != "" {
				out[m.ID] = m.Shard
			}
		}
	}
	return out
}

// summaryAbove is the member count past which the status line counts
// members instead of listing them.
const summaryAbove = 6

// memberSummary is "51 ok · 2 stale · 1 down · hottest shard-07 primary
// 96%": the counts, then the member with the highest CPU now. A member is
// stale when it has not answered this round (slow, or not asked while
// backed off) and down when its last answer was an error.
func memberSummary(s monitor.SourceHealth, snap *monitor.Snapshot) string {
	ok, stale, down := 0, 0, 0
	for _, m := range s.Members {
		switch {
		case m.OK:
			ok++
		case m.Error == "" || strings.HasPrefix(m.Error, "slow"):
			stale++
		default:
			down++
		}
	}
	parts := []string{fmt.Sprintf("%d ok", ok)}
	if stale > 0 {
		parts = append(parts, fmt.Sprintf("%d stale", stale))
	}
	if down > 0 {
		parts = append(parts, fmt.Sprintf("%d down", down))
	}
	if hot, v, found := hottest(s, snap); found {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", memberName(hot.ID, hot.Shard, hot.Role, true), v))
	}
	return strings.Join(parts, " · ")
}

// hottest is the member whose CPU series has the highest latest value.
func hottest(s monitor.SourceHealth, snap *monitor.Snapshot) (sources.Member, float64, bool) {
	var best sources.Member
	bestV, found := 0.0, false
	for _, m := range s.Members {
		v, ok := snap.Series[series.Key(s.Name+".cpu", m.ID)]
		if !ok {
			continue
		}
		if p, ok := v.Last(); ok && (!found || p.V > bestV) {
			best, bestV, found = m, p.V, true
		}
	}
	return best, bestV, found
}

// filterChoices is what f steps through: every shard first (a shard is
// what a person of a sharded cluster thinks in), then every member.
func (m Model) filterChoices() []string {
	ms := m.members()
	snap := m.picture()
	if snap == nil {
		return ms
	}
	shards := memberShards(snap)
	var out []string
	for _, mem := range ms {
		if sh := shards[mem]; sh != "" && !slices.Contains(out, sh) {
			out = append(out, sh)
		}
	}
	slices.Sort(out)
	return append(out, ms...)
}
