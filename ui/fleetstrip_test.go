package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// TestFleetDBStripNamesWhoseValuesItShows: in a sharded cluster "the
// primary" is sixteen servers, so the DB strip names the member its ops and
// connections are from: the hottest, the one the status line names, or the
// primary of the shard f picked, or the member f picked. Before, it showed shard-00's primary (the
// first by name) without a name, which reads as the whole cluster.
func TestFleetDBStripNamesWhoseValuesItShows(t *testing.T) {
	snap := fleetSnapshot()
	for id, v := range map[string][2]float64{"shard-00-0:27018": {3, 20}, "shard-07-0:27018": {194, 50},
		"shard-11-0:27018": {41, 12}, "shard-11-1:27018": {0, 9}} { // shard-11's secondary is its hottest member
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
	for m.member != "shard-11" {
		m = step(t, m, press("f"))
	}
	if strip := lineWith(screen(m), "ops/s"); !strings.HasPrefix(strip, "shard-11 P: ops/s ins 41 ") {
		t.Errorf("with f on shard-11 the strip is %q, want shard-11's primary (it takes the writes)", strip)
	}
	for m.member != "shard-11-1:27018" {
		m = step(t, m, press("f"))
	}
	if strip := lineWith(screen(m), "ops/s"); !strings.HasPrefix(strip, "shard-11 S: ops/s ins 0 ") {
		t.Errorf("with f on shard-11-1 the strip is %q, want that member's", strip)
	}
}

// TestFleetAlertRowsNameMembersByShard: an alert on a member of a sharded
// cluster names it the way the rest of the screen does ("shard-07 P"), not
// by a private address and port; the selected alert's detail still gives
// the address. A replica set's member keeps its own name.
func TestFleetAlertRowsNameMembersByShard(t *testing.T) {
	snap := fleetSnapshot()
	snap.Sources = append(snap.Sources, monitor.SourceHealth{Name: "rs", Members: []sources.Member{{ID: "mongo-1:27017", Role: "PRIMARY"}}})
	snap.Alerts = []monitor.AlertView{
		{Status: alert.Status{Rule: "db-cpu-high", Key: "db.cpu@shard-07-0:27018", Severity: alert.Critical, State: alert.Firing,
			Since: fixedNow.Add(-2 * time.Minute), Value: 96, Peak: 97}, Condition: "db.cpu > 80 (3 of 3)"},
		{Status: alert.Status{Rule: "rs-cpu-high", Key: "rs.cpu@mongo-1:27017", Severity: alert.Warning, State: alert.Firing,
			Since: fixedNow.Add(-time.Minute), Value: 85, Peak: 85}, Condition: "rs.cpu > 80 (3 of 3)"},
	}
	got := screen(sizedWith(t, Options{NoColor: true}, 250, 70, snap))
	for _, which := range []string{"CRITICAL FIRING  db-cpu-high", "crit db-cpu-high"} { // the banner and the row
		if row := lineWith(got, which); !strings.Contains(row, "db.cpu@shard-07 P ") || strings.Contains(row, "27018") {
			t.Errorf("%q: want the member named db.cpu@shard-07 P", row)
		}
	}
	if detail := lineWith(got, "↳ db.cpu > 80"); !strings.Contains(detail, "shard-07-0:27018") {
		t.Errorf("the selected alert's detail %q does not give the member's address", detail)
	}
	if row := lineWith(got, "rs-cpu-high"); !strings.Contains(row, "rs.cpu@mongo-1:27017") {
		t.Errorf("a replica set member keeps its name: %q", row)
	}
}
