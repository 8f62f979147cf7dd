package ui

import (
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/series"
)

// TestFleetDBStripNamesWhoseValuesItShows: in a sharded cluster "the
// primary" is sixteen servers, so the DB strip names the member its ops and
// connections are from: the hottest, the one the status line names, or the
// hottest of the shard f picked. Before, it showed shard-00's primary (the
// first by name) without a name, which reads as the whole cluster.
func TestFleetDBStripNamesWhoseValuesItShows(t *testing.T) {
	snap := fleetSnapshot()
	for id, v := range map[string][2]float64{"shard-00-0:27018": {3, 20}, "shard-07-0:27018": {194, 50}, "shard-03-0:27018": {41, 12}} {
		snap.Series[series.Key("db.ops.insert", id)] = constant(v[0])
		snap.Series[series.Key("db.connections", id)] = constant(v[1])
		snap.Series[series.Key("db.connections.available", id)] = constant(800)
	}
	m := sizedWith(t, Options{NoColor: true}, 250, 70, snap)
	got := screen(m)
	strip := lineWith(got, "ops/s")
	if !strings.HasPrefix(strip, "shard-07 P: ops/s ins 194 ") || !strings.Contains(strip, "conns 50/850 (6%)") {
		t.Errorf("the strip does not say it is shard-07's primary, the hottest:\n%q", strip)
	}
	if status := lineWith(got, "● db"); !strings.Contains(status, "shard-07 primary 96%") {
		t.Errorf("status line %q names another member than the strip", status)
	}
	for m.member != "shard-03" {
		m = step(t, m, press("f"))
	}
	if strip := lineWith(screen(m), "ops/s"); !strings.HasPrefix(strip, "shard-03 P: ops/s ins 41 ") {
		t.Errorf("with f on shard-03 the strip is %q, want shard-03's hottest, its primary", strip)
	}
}
