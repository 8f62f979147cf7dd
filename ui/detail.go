package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// pickKey is the key a series name is read from: the primary member's
// when there are several (or the first by name); "" when none. keys are
// the snapshot's keys by series name (keysByName).
func pickKey(keys map[string][]string, roles map[string]string, name string) string {
	ks := keys[name]
	if len(ks) == 0 {
		return ""
	}
	slices.Sort(ks)
	for _, k := range ks {
		if roles[memberOf(k)] == "PRIMARY" {
			return k
		}
	}
	return ks[0]
}

// keysByName groups the keys of the given series names in one pass over
// the snapshot's keys (a fleet snapshot holds thousands; the strip asks
// for a few names).
func keysByName(snap *monitor.Snapshot, names []string) map[string][]string {
	out := make(map[string][]string, len(names))
	for _, n := range names {
		out[n] = nil
	}
	for k := range snap.Series {
		name, _ := series.SplitKey(k)
		if ks, ok := out[name]; ok {
			out[name] = append(ks, k)
		}
	}
	return out
}

// stripMember is whose values the DB strip shows in a sharded cluster,
// where "the primary" is sixteen servers and one of them unnamed reads as
// the whole cluster: the member f picked; the primary of the shard f
// picked (it takes the shard's writes); else the hottest member, the one
// the status line names. ok is false without shards: a replica set's strip
// is its primary's.
func stripMember(snap *monitor.Snapshot, filter string) (sources.Member, bool) {
	for _, s := range snap.Sources {
		if !slices.ContainsFunc(s.Members, func(m sources.Member) bool { return m.Shard != "" }) {
			continue
		}
		s.Members = slices.DeleteFunc(slices.Clone(s.Members), func(m sources.Member) bool {
			return filter != "" && m.ID != filter && m.Shard != filter
		})
		if i := slices.IndexFunc(s.Members, func(m sources.Member) bool { return m.Shard == filter && m.Role == "PRIMARY" }); i >= 0 {
			return s.Members[i], true
		}
		if hot, _, ok := hottest(s, snap); ok {
			return hot, true
		}
		if len(s.Members) > 0 {
			return s.Members[0], true
		}
	}
	return sources.Member{}, false
}

// fmtCompact is a strip value: whole numbers from 100 up, one decimal
// below, no ".0".
func fmtCompact(v float64) string {
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return trimZero(fmt.Sprintf("%.1f", v))
}

// stripGroups are the DB strip's groups: a title, each item's label and
// series name, and a suffix.
var stripGroups = []struct {
	title, suffix string
	items         [][2]string
}{
	{"ops/s", "", [][2]string{{"ins", catalog.DB(catalog.OpsInsert)}, {"qry", catalog.DB(catalog.OpsQuery)},
		{"upd", catalog.DB(catalog.OpsUpdate)}, {"del", catalog.DB(catalog.OpsDelete)},
		{"getmore", catalog.DB(catalog.OpsGetmore)}, {"cmd", catalog.DB(catalog.OpsCommand)}}},
	{"queued", "", [][2]string{{"r", catalog.DB(catalog.QueueReaders)}, {"w", catalog.DB(catalog.QueueWriters)}}},
	{"latency", " ms", [][2]string{{"r", catalog.DB(catalog.LatencyReads)}, {"w", catalog.DB(catalog.LatencyWrites)},
		{"cmd", catalog.DB(catalog.LatencyCommands)}}},
	{"scanned/returned", "", [][2]string{{"", catalog.DB(catalog.ScannedPerReturned)}}},
}

// stripReader reads the newest value of a series name for the strip.
type stripReader func(name string) (float64, bool)

// dbSegments are the DB strip's groups; a group whose series all are
// missing is left out, and a missing value within a group is "–", never 0.
// In a sharded cluster they are one member's, named first ("shard-07 P:");
// filter is the member or shard f picked ("" for all).
func dbSegments(snap *monitor.Snapshot, filter string) []string {
	if snap == nil {
		return nil
	}
	read, who := stripValues(snap, filter)
	val := func(name string) (string, bool) {
		v, ok := read(name)
		if !ok {
			return "–", false
		}
		return fmtCompact(v), true
	}
	var segs []string
	for i, g := range stripGroups {
		if i == 1 {
			segs = append(segs, connections(read))
		}
		var parts []string
		found := false
		for _, it := range g.items {
			v, ok := val(it[1])
			found = found || ok
			parts = append(parts, strings.TrimSpace(it[0]+" "+v))
		}
		if found {
			segs = append(segs, g.title+" "+strings.Join(parts, " ")+g.suffix)
		}
	}
	segs = slices.DeleteFunc(segs, func(s string) bool { return s == "" })
	if who != "" && len(segs) > 0 {
		segs[0] = who + ": " + segs[0]
	}
	return segs
}

// stripValues is where the strip's values come from, and whose they are
// when that needs saying (stripKeys).
func stripValues(snap *monitor.Snapshot, filter string) (stripReader, string) {
	key, who := stripKeys(snap, filter)
	return func(name string) (float64, bool) {
		k := key(name)
		if k == "" {
			return 0, false
		}
		p, ok := snap.Series[k].Last()
		return p.V, ok
	}, who
}

// stripKeys is which series key the strip reads each name from, and whose
// it is when that needs saying: one named member of a sharded cluster
// (stripMember), or else the primary per series. "" when there is none.
func stripKeys(snap *monitor.Snapshot, filter string) (func(name string) string, string) {
	if m, ok := stripMember(snap, filter); ok {
		return func(name string) string {
			k := series.Key(name, m.ID)
			if _, ok := snap.Series[k]; !ok {
				return ""
			}
			return k
		}, memberName(m.ID, m.Shard, m.Role, false)
	}
	names := []string{catalog.DB(catalog.Connections), catalog.DB(catalog.ConnectionsAvailable)}
	for _, g := range stripGroups {
		for _, it := range g.items {
			names = append(names, it[1])
		}
	}
	keys, roles := keysByName(snap, names), memberRoles(snap)
	return func(name string) string { return pickKey(keys, roles, name) }, ""
}

// connections reads "480/819 (59%)": in use out of in use plus available,
// which is the server's limit as serverStatus reports it.
func connections(read stripReader) string {
	cur, okC := read(catalog.DB(catalog.Connections))
	avail, okA := read(catalog.DB(catalog.ConnectionsAvailable))
	switch {
	case okC && okA && cur+avail > 0:
		return fmt.Sprintf("conns %.0f/%.0f (%.0f%%)", cur, cur+avail, 100*cur/(cur+avail))
	case okC:
		return fmt.Sprintf("conns %.0f/–", cur)
	case okA:
		return fmt.Sprintf("conns –/– (%.0f free)", avail)
	}
	return ""
}

// flow packs segments into lines of at most w cells.
func flow(segs []string, w int) []string {
	const sep = "  │  "
	var lines []string
	cur := ""
	for _, s := range segs {
		switch {
		case cur == "":
			cur = s
		case ansi.StringWidth(cur+sep+s) <= w:
			cur += sep + s
		default:
			lines = append(lines, cur)
			cur = s
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
