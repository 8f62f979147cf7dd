package mongo

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestParseStatusReadsEveryRecordedServer(t *testing.T) {
	dir := fixturesDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "serverStatus-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no serverStatus fixtures in %s (%v)", dir, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			s := parseStatus(readDoc(t, f))
			mongos := strings.Contains(name, "mongos")
			if s.Host == "" || s.Version == "" || s.LocalTime.IsZero() || !s.Uptime.OK {
				t.Errorf("identity missing: host %q version %q localTime %v uptime %v", s.Host, s.Version, s.LocalTime, s.Uptime)
			}
			if s.Mongos != mongos {
				t.Errorf("Mongos = %v, process %q", s.Mongos, s.Process)
			}
			if !s.ConnCurrent.OK || !s.ConnAvail.OK || !s.NetIn.OK || !s.Asserts.OK || !s.Ops[0].OK || !s.Faults.OK {
				t.Errorf("a section every server sends is missing: %+v", s)
			}
			// mongos has no storage engine, global lock or query executor:
			// those must be "not available", not zero.
			mongodOnly := []opt{s.QueueR, s.ActiveW, s.CacheBytes, s.CacheMax, s.Returned, s.ScannedObjects, s.Latency[0], s.TicketsReadOut}
			for i, o := range mongodOnly {
				if o.OK == mongos {
					t.Errorf("mongod-only field %d: OK = %v on %s", i, o.OK, s.Process)
				}
			}
			// extra_info has CPU times on Linux from 4.2 only.
			cpu := s.UserUs.OK && s.SystemUs.OK
			if want := strings.Contains(name, "linux") && versionAtLeast(s.Version, 4, 2); cpu != want {
				t.Errorf("cpu times OK = %v, want %v", cpu, want)
			}
			if strings.Contains(name, "replica") {
				r := s.Repl
				if r.SetName == "" || len(r.Hosts) == 0 || r.Me == "" {
					t.Errorf("repl = %+v", r)
				}
				if r.Primary != strings.Contains(name, "primary") || r.Secondary != strings.Contains(name, "secondary") {
					t.Errorf("role: primary %v secondary %v", r.Primary, r.Secondary)
				}
			} else if s.Repl.SetName != "" {
				t.Errorf("standalone with a set: %+v", s.Repl)
			}
			for _, v := range gauges(s) {
				if strings.HasSuffix(v.Name, "_pct") && (v.V < 0 || v.V > 100) {
					t.Errorf("%s = %v, want a percentage", v.Name, v.V)
				}
			}
		})
	}
}

func TestParseStatusTakesTicketsFromQueuesOn80(t *testing.T) {
	dir := fixturesDir(t)
	s80 := parseStatus(readDoc(t, filepath.Join(dir, "serverStatus-8.0.4-replica-primary-linux.json")))
	s44 := parseStatus(readDoc(t, filepath.Join(dir, "serverStatus-4.4.29-replica-primary-linux.json")))
	if !s80.TicketsReadAvail.OK || s80.TicketsReadAvail.V != 8 {
		t.Errorf("8.0 read tickets available = %+v, want 8 from queues.execution", s80.TicketsReadAvail)
	}
	if !s44.TicketsWriteAvail.OK || s44.TicketsWriteAvail.V != 128 {
		t.Errorf("4.4 write tickets available = %+v, want 128 from wiredTiger.concurrentTransactions", s44.TicketsWriteAvail)
	}
	// 4.4 sent the cache size as a double, 8.0 as an int64.
	if s44.CacheMax.V != 1.51519232e9 || s80.CacheMax.V != 3548381184 {
		t.Errorf("cache max = %v / %v", s44.CacheMax.V, s80.CacheMax.V)
	}
}

func TestParseStatusReadsAnyNumericType(t *testing.T) {
	for _, v := range []any{int32(7), int64(7), 7.0} {
		raw, _ := bson.Marshal(bson.D{{Key: "connections", Value: bson.D{{Key: "current", Value: v}}}})
		if got := parseStatus(raw).ConnCurrent; !got.OK || got.V != 7 {
			t.Errorf("%T: got %+v", v, got)
		}
	}
	raw, _ := bson.Marshal(bson.D{{Key: "connections", Value: bson.D{{Key: "current", Value: "7"}}}})
	if got := parseStatus(raw).ConnCurrent; got.OK {
		t.Errorf("a string is not a number: %+v", got)
	}
}

func TestProcessNameStripsAWindowsPath(t *testing.T) {
	tests := map[string]string{
		"mongod": "mongod",
		`C:\Program Files\MongoDB\Server\8.0\bin\mongod.exe`: "mongod",
		`C:\mongodb\bin\mongos.exe`:                          "mongos",
		"/usr/bin/mongos":                                    "mongos",
		"ferretdb":                                           "ferretdb",
	}
	for in, want := range tests {
		if got := processName(in); got != want {
			t.Errorf("processName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseStatusOfAnEmptyReplyIsAllMissing(t *testing.T) {
	raw, _ := bson.Marshal(bson.D{{Key: "ok", Value: 1}})
	s := parseStatus(raw)
	if len(gauges(s)) != 0 || rates(&s, s, 4) != nil {
		t.Errorf("values from nothing: %v", gauges(s))
	}
}

func versionAtLeast(v string, major, minor int) bool {
	var ma, mi int
	fmt.Sscanf(v, "%d.%d", &ma, &mi)
	return ma > major || ma == major && mi >= minor
}

func TestVersionAtLeastComparesNumbersNotText(t *testing.T) {
	if !versionAtLeast("10.0", 4, 2) || versionAtLeast("4.0.5", 4, 2) || !versionAtLeast("4.2.1", 4, 2) {
		t.Error("version comparison is textual")
	}
}
