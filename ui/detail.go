package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// latest is the newest value of a series name, from the primary member
// when there are several (or the first by name). keys are the snapshot's
// keys by series name (keysByName).
func latest(snap *monitor.Snapshot, keys map[string][]string, roles map[string]string, name string) (float64, bool) {
	ks := keys[name]
	if len(ks) == 0 {
		return 0, false
	}
	slices.Sort(ks)
	pick := ks[0]
	for _, k := range ks {
		if roles[memberOf(k)] == "PRIMARY" {
			pick = k
			break
		}
	}
	p, ok := snap.Series[pick].Last()
	return p.V, ok
}

// keysByName groups the snapshot's keys by series name in one pass over
// them (a fleet snapshot holds thousands; the strip asks for 17 names).
func keysByName(snap *monitor.Snapshot) map[string][]string {
	out := map[string][]string{}
	for k := range snap.Series {
		name, _ := series.SplitKey(k)
		out[name] = append(out[name], k)
	}
	return out
}

// fmtCompact is a strip value: whole numbers from 100 up, one decimal
// below, no ".0".
func fmtCompact(v float64) string {
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return trimZero(fmt.Sprintf("%.1f", v))
}

// dbSegments are the DB strip's groups; a group whose series all are
// missing is left out, and a missing value within a group is "–", never 0.
func dbSegments(snap *monitor.Snapshot) []string {
	if snap == nil {
		return nil
	}
	keys, roles := keysByName(snap), memberRoles(snap)
	val := func(name string) (string, bool) {
		v, ok := latest(snap, keys, roles, name)
		if !ok {
			return "–", false
		}
		return fmtCompact(v), true
	}
	group := func(title, suffix string, items ...[2]string) string {
		var parts []string
		found := false
		for _, it := range items {
			v, ok := val(it[1])
			found = found || ok
			parts = append(parts, strings.TrimSpace(it[0]+" "+v))
		}
		if !found {
			return ""
		}
		return title + " " + strings.Join(parts, " ") + suffix
	}
	segs := []string{
		group("ops/s", "", [2]string{"ins", catalog.DB(catalog.OpsInsert)}, [2]string{"qry", catalog.DB(catalog.OpsQuery)},
			[2]string{"upd", catalog.DB(catalog.OpsUpdate)}, [2]string{"del", catalog.DB(catalog.OpsDelete)},
			[2]string{"getmore", catalog.DB(catalog.OpsGetmore)}, [2]string{"cmd", catalog.DB(catalog.OpsCommand)}),
		connections(snap, keys, roles),
		group("queued", "", [2]string{"r", catalog.DB(catalog.QueueReaders)}, [2]string{"w", catalog.DB(catalog.QueueWriters)}),
		group("latency", " ms", [2]string{"r", catalog.DB(catalog.LatencyReads)}, [2]string{"w", catalog.DB(catalog.LatencyWrites)},
			[2]string{"cmd", catalog.DB(catalog.LatencyCommands)}),
		group("scanned/returned", "", [2]string{"", catalog.DB(catalog.ScannedPerReturned)}),
	}
	return slices.DeleteFunc(segs, func(s string) bool { return s == "" })
}

// connections reads "480/819 (59%)": in use out of in use plus available,
// which is the server's limit as serverStatus reports it.
func connections(snap *monitor.Snapshot, keys map[string][]string, roles map[string]string) string {
	cur, okC := latest(snap, keys, roles, catalog.DB(catalog.Connections))
	avail, okA := latest(snap, keys, roles, catalog.DB(catalog.ConnectionsAvailable))
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
