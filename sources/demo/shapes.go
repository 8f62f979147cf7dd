package demo

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
)

// The query-shape profiler's side of the scripted mongod (see
// sources/mongo/shapes.go for the contract): its $currentOp sample is told
// from the other culprit pipelines by the "cmd" its $project computes, and
// getLog "global" answers with structured "Slow query" lines in the 4.4+
// log format, written as the scenario's queries finish.

// shapeLog is the scripted server's RAM log.
type shapeLog struct {
	mu    sync.Mutex
	last  time.Time
	carry float64 // fractional slow queries not yet written
	lines []string
	total int64
	conn  int
}

// ramLines is how many lines mongod keeps for getLog.
const ramLines = 1024

// shapeReply answers the profiler's commands; false for anything else.
func (l *shapeLog) shapeReply(cmd string, body bson.Raw, st State, now time.Time) (bson.D, bool) {
	switch {
	case cmd == "getLog":
		return l.getLog(st, now), true
	case cmd == "aggregate" && isShapesPipeline(body):
		return cursor("admin.$cmd.aggregate", activeOps(st, now)), true
	}
	return nil, false
}

func isShapesPipeline(body bson.Raw) bool {
	for _, d := range bsonread.Docs(body.Lookup("pipeline")) {
		if _, err := d.LookupErr("$project", "cmd"); err == nil {
			return true
		}
	}
	return false
}

// demoOp is one active operation as the shapes pipeline projects it.
func demoOp(opid int64, app, ns, cmd, plan string, secs float64, filter, sortDoc bson.D) bson.D {
	command := bson.D{{Key: "filter", Value: filter}}
	if sortDoc != nil {
		command = append(command, bson.E{Key: "sort", Value: sortDoc})
	}
	return bson.D{{Key: "opid", Value: opid}, {Key: "ns", Value: ns}, {Key: "op", Value: "query"}, {Key: "cmd", Value: cmd},
		{Key: "planSummary", Value: plan}, {Key: "appName", Value: app}, {Key: "microsecs_running", Value: int64(secs * 1e6)},
		{Key: "command", Value: command}}
}

// read is one indexed find of the API or the web view: the one owner of
// what they run, for the shapes sampler and for x and k (clientops.go).
type read struct {
	ns, plan     string
	secs         float64
	filter, sort bson.D
	index        bson.D // the index that serves it
}

// apiRead is the API's i-th read: a user's orders.
func apiRead(i int, _ time.Time) read {
	return read{ns: "app.orders", plan: "IXSCAN { user_id: 1 }", secs: 0.002 * float64(1+i%3),
		filter: bson.D{{Key: "user_id", Value: 1000 + i}}, index: bson.D{{Key: "user_id", Value: 1}}}
}

// webviewRead is the web view's camera timeline: a camera's thumbnails of
// the last day, newest first.
func webviewRead(i int, now time.Time) read {
	since := bson.DateTime(now.Add(-24 * time.Hour).UnixMilli())
	return read{ns: "cctv.thumbnails", plan: "IXSCAN { camera_id: 1, ts: -1 }", secs: 0.1,
		filter: bson.D{{Key: "camera_id", Value: 3 + i}, {Key: "ts", Value: bson.D{{Key: "$gte", Value: since}, {Key: "$lt", Value: bson.DateTime(now.UnixMilli())}}}},
		sort:   bson.D{{Key: "ts", Value: -1}}, index: bson.D{{Key: "camera_id", Value: 1}, {Key: "ts", Value: -1}}}
}

// activeOps is the scenario's active operations: the API's indexed reads
// (more of them as traffic grows), the web view's camera timeline (its
// thumbnails, which have their index: cctv.events has none on camera_id,
// which is the story, so an IXSCAN there would contradict x's explain), and
// while server-c runs, its 34 unindexed scans.
func activeOps(st State, now time.Time) bson.A {
	since := bson.DateTime(now.Add(-24 * time.Hour).UnixMilli())
	var ops bson.A
	api := int(math.Round(4 * st.RequestsPerMin / 800))
	for i := range api {
		r := apiRead(i, now)
		ops = append(ops, demoOp(int64(5000+i), "api-main", r.ns, "find", r.plan, r.secs, r.filter, r.sort))
	}
	r := webviewRead(0, now)
	ops = append(ops, demoOp(7001, "webview", r.ns, "find", r.plan, r.secs, r.filter, r.sort))
	if st.ServerCActive {
		for i := range 34 {
			secs := math.Mod(scanSecs(now)+float64(i)*0.7, 22) + 8
			ops = append(ops, demoOp(int64(9000+i), "server-c", "cctv.events", "find", "COLLSCAN", secs,
				bson.D{{Key: "camera_id", Value: 40 + i}, {Key: "ts", Value: bson.D{{Key: "$gte", Value: since}}}}, nil))
		}
	}
	return ops
}

// getLog writes the slow queries that finished since the last read (about
// two of server-c's scans a second while it runs, and the web view's
// occasional slow page) and returns the RAM log.
func (l *shapeLog) getLog(st State, now time.Time) bson.D {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.After(l.last) {
		dt := min(now.Sub(l.last).Seconds(), 60)
		rate := 0.2 // the web view's slow page, now and then
		if st.ServerCActive {
			rate += 34.0 / 19 // 34 scans of 8-30 s each
		}
		l.carry += rate * dt
		for ; l.carry >= 1; l.carry-- {
			l.write(now, st)
		}
	}
	l.last = now
	log := bson.A{}
	for _, s := range l.lines {
		log = append(log, s)
	}
	return bson.D{{Key: "totalLinesWritten", Value: l.total}, {Key: "log", Value: log}}
}

func (l *shapeLog) write(now time.Time, st State) {
	l.conn++
	ts := now.UTC().Format("2006-01-02T15:04:05.000+00:00")
	since := now.Add(-24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	var attr string
	if st.ServerCActive && l.conn%10 != 0 {
		attr = fmt.Sprintf(`{"type":"command","ns":"cctv.events","appName":"server-c","command":{"find":"events","filter":{"camera_id":%d,"ts":{"$gte":{"$date":"%s"}}},"$db":"cctv"},"planSummary":"COLLSCAN","keysExamined":0,"docsExamined":3712044,"nreturned":%d,"queryHash":"5F0C1A77","durationMillis":%d}`,
			40+l.conn%34, since, 20+l.conn%40, 8000+(l.conn*977)%22000)
	} else {
		attr = fmt.Sprintf(`{"type":"command","ns":"cctv.thumbnails","appName":"webview","command":{"find":"thumbnails","filter":{"camera_id":%d,"ts":{"$gte":{"$date":"%s"}}},"sort":{"ts":-1},"$db":"cctv"},"planSummary":"IXSCAN { camera_id: 1, ts: -1 }","keysExamined":%d,"docsExamined":%d,"nreturned":%d,"queryHash":"A1B2C3D4","durationMillis":%d}`,
			1+l.conn%8, since, 480, 480, 480, 120+l.conn%80)
	}
	line := fmt.Sprintf(`{"t":{"$date":"%s"},"s":"I",  "c":"COMMAND",  "id":51803,   "ctx":"conn%d","msg":"Slow query","attr":%s}`, ts, 100+l.conn%50, attr)
	l.lines = append(l.lines, strings.TrimSpace(line))
	l.total++
	if len(l.lines) > ramLines {
		l.lines = l.lines[len(l.lines)-ramLines:]
	}
}
