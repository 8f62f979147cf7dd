package demo

import (
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// demoCores is the DB server's core count the scripted hostInfo reports.
const demoCores = 8

// mongod scripts the demo's replica set: every member's counters grow at
// the rates the scenario gives for the current scenario time, so the real
// MongoDB source computes the story's CPU, ops and latencies from deltas,
// exactly as it does against a production server.
type mongod struct {
	now   func() time.Time
	start time.Time
	sc    *Scenario
	rs    *mongoserver.ReplicaSet
	log   shapeLog // the query-shape profiler's RAM log (shapes.go)

	mu      sync.Mutex
	members []*counters
	rename  func(string) string // Backend.Rename
	stop    demoStop            // server-c stopped from the dashboard (actions.go)
}

// counters is one member's cumulative serverStatus counters.
type counters struct {
	last                    time.Time
	userUs, sysUs           float64
	ops                     [6]float64 // insert query update delete getmore command
	replOps                 [6]float64
	latUs, latOps           [3]float64 // reads writes commands
	netIn, netOut           float64
	returned, scanned, keys float64
	faults                  float64
	asserts                 float64
	bootedAt                time.Time
}

func startMongod(now func() time.Time, start time.Time, sc *Scenario) (*mongod, error) {
	m := &mongod{now: now, start: start, sc: sc, stop: demoStop{loop: -1}}
	for range 2 {
		m.members = append(m.members, &counters{last: start, bootedAt: start.Add(-36 * time.Hour)})
	}
	rs, err := mongoserver.NewReplicaSet("rs0", 2, m.handle)
	if err != nil {
		return nil, err
	}
	m.rs = rs
	return m, nil
}

func (m *mongod) handle(i int, cmd string, body bson.Raw) (bson.D, error) {
	now := m.now()
	st := m.state(now) // the scenario, with a stop from the dashboard (actions.go)
	switch cmd {
	case "serverStatus":
		return m.serverStatus(i, now, st), nil
	case "hostInfo":
		return bson.D{{Key: "system", Value: bson.D{{Key: "numCores", Value: int32(demoCores)}, {Key: "hostname", Value: m.rs.Member(i).Addr()}}}}, nil
	case "replSetGetStatus":
		return m.replStatus(now, st), nil
	case "buildInfo":
		return bson.D{{Key: "version", Value: "7.0.14"}, {Key: "versionArray", Value: bson.A{int32(7), int32(0), int32(14), int32(0)}}}, nil
	}
	if i == 0 {
		if d, ok := m.actionReply(cmd, body, st, now); ok {
			return d, nil
		}
		if d, ok := m.log.shapeReply(cmd, body, st, now); ok {
			return d, nil
		}
		if d, ok := CulpritReply(cmd, body, st, now); ok {
			if f := m.renameFunc(); f != nil && (cmd == "top" || cmd == "aggregate") {
				d = renamed(d, f).(bson.D)
			}
			return d, nil
		}
	}
	return nil, nil
}

// advance grows member i's counters from its last request to now. The
// caller holds m.mu through building the reply, so that two requests in
// flight at once (a timed-out poll's and the next) never pair one
// request's counters with the other's localTime.
func (m *mongod) advance(i int, now time.Time, st State) *counters {
	c := m.members[i]
	dt := now.Sub(c.last).Seconds()
	if dt <= 0 {
		return c // localTime must never go backwards either
	}
	c.last = now
	cpu := st.DBCPU
	opsRate := st.OpsPerSec
	if i != 0 {
		cpu, opsRate = st.SecondaryCPU, 0
	}
	procUs := cpu / 100 * demoCores * dt * 1e6
	c.userUs += procUs * 0.85
	c.sysUs += procUs * 0.15
	mix := [6]float64{0.12, 0.62, 0.10, 0.01, 0.08, 0.07}
	for k := range c.ops {
		c.ops[k] += opsRate * mix[k] * dt
	}
	if i != 0 {
		// A secondary applies the primary's writes.
		for k, share := range [6]float64{0.12, 0, 0.10, 0.01, 0, 0} {
			c.replOps[k] += st.OpsPerSec * share * dt
		}
		c.ops[5] += 20 * dt // heartbeats and monitoring commands
	}
	reads, writes, cmds := opsRate*(mix[1]+mix[4]), opsRate*(mix[0]+mix[2]+mix[3]), opsRate*mix[5]+1
	c.latOps[0] += reads * dt
	c.latOps[1] += writes * dt
	c.latOps[2] += cmds * dt
	c.latUs[0] += reads * dt * st.LatencyMs * 1000
	c.latUs[1] += writes * dt * (st.LatencyMs*0.3 + 1) * 1000
	c.latUs[2] += cmds * dt * 1200
	ret := opsRate * mix[1] * 2 // documents returned per second
	c.returned += ret * dt
	c.scanned += ret * st.ScanRatio * dt
	c.keys += ret * 1.2 * dt
	c.netIn += (opsRate*800 + 2000) * dt
	c.netOut += (ret*1500 + 4000) * dt
	c.faults += st.QueueReaders / 10 * dt
	return c
}

func (m *mongod) serverStatus(i int, now time.Time, st State) bson.D {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.advance(i, now, st)
	if now.Before(c.last) {
		now = c.last
	}
	conns := st.Connections
	qr, qw := st.QueueReaders, st.QueueWriters
	if i != 0 {
		conns, qr, qw = 18, 0, 0
	}
	ops := func(v [6]float64) bson.D {
		return bson.D{{Key: "insert", Value: int64(v[0])}, {Key: "query", Value: int64(v[1])}, {Key: "update", Value: int64(v[2])},
			{Key: "delete", Value: int64(v[3])}, {Key: "getmore", Value: int64(v[4])}, {Key: "command", Value: int64(v[5])}}
	}
	lat := func(k int) bson.D {
		return bson.D{{Key: "latency", Value: int64(c.latUs[k])}, {Key: "ops", Value: int64(c.latOps[k])}}
	}
	up := now.Sub(c.bootedAt)
	cacheMax := 16.0 * (1 << 30)
	fill := 0.78
	if st.ServerCActive {
		fill = 0.95 // the scans pull cctv.events through the cache
	}
	return bson.D{
		{Key: "host", Value: m.rs.Member(i).Addr()},
		{Key: "version", Value: "7.0.14"},
		{Key: "process", Value: "mongod"},
		{Key: "pid", Value: int64(4242 + i)},
		{Key: "uptime", Value: up.Seconds()},
		{Key: "uptimeMillis", Value: up.Milliseconds()},
		{Key: "localTime", Value: bson.NewDateTimeFromTime(now)},
		{Key: "asserts", Value: bson.D{{Key: "regular", Value: int32(0)}, {Key: "warning", Value: int32(0)}, {Key: "msg", Value: int32(0)}, {Key: "user", Value: int32(c.asserts)}, {Key: "rollovers", Value: int32(0)}}},
		{Key: "connections", Value: bson.D{{Key: "current", Value: int32(conns)}, {Key: "available", Value: int32(819 - conns)}, {Key: "totalCreated", Value: int64(9000)}}},
		{Key: "extra_info", Value: bson.D{{Key: "note", Value: "fields vary by platform"}, {Key: "user_time_us", Value: int64(c.userUs)}, {Key: "system_time_us", Value: int64(c.sysUs)}, {Key: "page_faults", Value: int64(c.faults)}}},
		{Key: "globalLock", Value: bson.D{
			{Key: "totalTime", Value: int64(up.Microseconds())},
			{Key: "currentQueue", Value: bson.D{{Key: "total", Value: int32(qr + qw)}, {Key: "readers", Value: int32(qr)}, {Key: "writers", Value: int32(qw)}}},
			{Key: "activeClients", Value: bson.D{{Key: "total", Value: int32(qr/3 + 4)}, {Key: "readers", Value: int32(qr/4 + 3)}, {Key: "writers", Value: int32(qw/2 + 1)}}},
		}},
		{Key: "network", Value: bson.D{{Key: "bytesIn", Value: int64(c.netIn)}, {Key: "bytesOut", Value: int64(c.netOut)}, {Key: "numRequests", Value: int64(c.ops[1] + c.ops[5])}}},
		{Key: "opLatencies", Value: bson.D{{Key: "reads", Value: lat(0)}, {Key: "writes", Value: lat(1)}, {Key: "commands", Value: lat(2)}}},
		{Key: "opcounters", Value: ops(c.ops)},
		{Key: "opcountersRepl", Value: ops(c.replOps)},
		{Key: "repl", Value: m.rs.Hello(i)},
		{Key: "wiredTiger", Value: bson.D{{Key: "cache", Value: bson.D{
			{Key: "bytes currently in the cache", Value: cacheMax * fill},
			{Key: "maximum bytes configured", Value: cacheMax},
			{Key: "tracked dirty bytes in the cache", Value: cacheMax * 0.03},
		}}}},
		{Key: "metrics", Value: bson.D{
			{Key: "document", Value: bson.D{{Key: "returned", Value: int64(c.returned)}, {Key: "inserted", Value: int64(c.ops[0])}}},
			{Key: "queryExecutor", Value: bson.D{{Key: "scanned", Value: int64(c.keys)}, {Key: "scannedObjects", Value: int64(c.scanned)}}},
		}},
		{Key: "ok", Value: 1.0},
	}
}

func (m *mongod) replStatus(now time.Time, st State) bson.D {
	lag := 0.4
	if st.ServerCActive {
		lag = 2.5 // the secondary falls behind while the primary is pinned
	}
	member := func(i int, state string, optime time.Time) bson.D {
		return bson.D{{Key: "_id", Value: int32(i)}, {Key: "name", Value: m.rs.Member(i).Addr()}, {Key: "health", Value: 1.0},
			{Key: "stateStr", Value: state}, {Key: "optimeDate", Value: bson.NewDateTimeFromTime(optime)}}
	}
	return bson.D{
		{Key: "set", Value: "rs0"},
		{Key: "date", Value: bson.NewDateTimeFromTime(now)},
		{Key: "members", Value: bson.A{
			member(0, "PRIMARY", now),
			member(1, "SECONDARY", now.Add(-time.Duration(lag*float64(time.Second)))),
		}},
	}
}

func (m *mongod) close() { m.rs.Close() }
