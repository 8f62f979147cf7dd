package mongo

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/sources"
)

// activeOp is one operation as the shapes pipeline projects it.
func activeOp(opid int64, app, ns, plan string, secs float64, filter bson.D) bson.D {
	return bson.D{{Key: "opid", Value: opid}, {Key: "ns", Value: ns}, {Key: "op", Value: "query"}, {Key: "cmd", Value: "find"},
		{Key: "planSummary", Value: plan}, {Key: "appName", Value: app}, {Key: "microsecs_running", Value: int64(secs * 1e6)},
		{Key: "command", Value: bson.D{{Key: "filter", Value: filter}}}}
}

// shapesServer scripts the profiler's two commands: the active operations
// (calm: the API's indexed reads; then server-c's scans on top), and a RAM
// log fed with real structured slow-query lines.
type shapesServer struct {
	mu       sync.Mutex
	scans    bool
	lines    []string // the RAM log, oldest first
	total    int64
	samples  int
	getLogs  int
	pipeline bson.RawArray
}

func (s *shapesServer) aggregate(_ string, body bson.Raw) (bson.D, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples++
	s.pipeline, _ = body.Lookup("pipeline").ArrayOK()
	var ops bson.A
	for i := range 12 {
		ops = append(ops, activeOp(int64(100+i+10*s.samples), "api-main", "app.orders", "IXSCAN { user_id: 1 }", 0.01, bson.D{{Key: "user_id", Value: i}}))
	}
	if s.scans {
		for i := range 36 {
			ops = append(ops, activeOp(int64(1000+i), "server-c", "cctv.events", "COLLSCAN", float64(8+i%20),
				bson.D{{Key: "camera_id", Value: i}, {Key: "ts", Value: bson.D{{Key: "$gte", Value: bson.DateTime(1700000000000)}}}}))
		}
	}
	return bson.D{{Key: "cursor", Value: bson.D{{Key: "firstBatch", Value: ops}, {Key: "id", Value: int64(0)}, {Key: "ns", Value: "admin.$cmd.aggregate"}}}}, nil
}

func (s *shapesServer) getLog(_ string, body bson.Raw) (bson.D, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.getLogs++
	if v, _ := body.Lookup("getLog").StringValueOK(); v != "global" {
		return nil, &mongoserver.CommandError{Code: 2, CodeName: "BadValue", Message: "unknown log"}
	}
	log := bson.A{}
	for _, l := range s.lines {
		log = append(log, l)
	}
	return bson.D{{Key: "totalLinesWritten", Value: int32(s.total)}, {Key: "log", Value: log}}, nil
}

// write appends lines to the RAM log, which keeps the last 1024.
func (s *shapesServer) write(lines ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, lines...)
	s.total += int64(len(lines))
	if len(s.lines) > 1024 {
		s.lines = s.lines[len(s.lines)-1024:]
	}
}

// realSlowLines are the "Slow query" lines of a shared capture.
func realSlowLines(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(fixturesDir(t), "logs", "slowlog-6.0.11-standalone.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"id":51803`) {
			out = append(out, sc.Text())
		}
	}
	return out
}

func shapesTable(t *testing.T, res sources.Result) sources.Table {
	t.Helper()
	for _, tb := range res.Tables {
		if tb.Name == tableShapes {
			return tb
		}
	}
	t.Fatalf("no %q table in %d tables", tableShapes, len(res.Tables))
	return sources.Table{}
}

func TestTheShapeProfilerRanksServerCsScanAndReadsTheSlowLog(t *testing.T) {
	lines := realSlowLines(t)
	ss := &shapesServer{}
	ss.write(lines[:40]...)
	f := newFake()
	f.extra = map[string]mongoserver.Handler{"aggregate": ss.aggregate, "getLog": ss.getLog}
	srv := startFake(t, f)
	clk := newTestClock()
	want := true
	s := newSource(t, "mongodb://"+srv.Addr()+"/?directConnection=true", func(c *Config) {
		c.ShapeInterval, c.ShapeWindow, c.ShapeBaseline = time.Second, 5*time.Second, 20*time.Second
		c.Now = clk.Now
		c.WantCulprits = func() bool { return want }
	})
	step := func(n int) sources.Result {
		var res sources.Result
		for range n {
			res = mustPoll(t, s)
			clk.Advance(time.Second)
		}
		return res
	}
	res := step(10) // calm: only the API's indexed reads
	if len(res.Shapes) == 0 || res.Shapes[0].Text != "app.orders find {user_id: ?}" || res.Shapes[0].Share != 1 {
		t.Fatalf("calm shapes: %+v", res.Shapes)
	}
	ss.mu.Lock()
	ss.scans = true
	ss.mu.Unlock()
	res = step(6)
	top := res.Shapes[0]
	if top.Text != "cctv.events find {camera_id: ?, ts: {$gte: ?}}" || top.App != "server-c" || !top.Collscan ||
		math.Abs(top.Share-0.75) > 0.01 || top.Before != 0 || top.Ops != 36 || top.Longest != 27 {
		t.Errorf("top shape with server-c scanning: %+v", top)
	}
	tb := shapesTable(t, res)
	if tb.Highlight != 0 || tb.Rows[0].Field(0) != "cctv.events find {camera_id: ?, ts: {$gte: ?}}" || tb.Rows[0].Field(2) != "75" || tb.Rows[0].Field(3) != "0" {
		t.Errorf("table: %+v", tb)
	}
	var titles []string
	for _, c := range tb.Columns {
		titles = append(titles, c.Title)
	}
	// "before" is the profiler's own previous 20 s, not the minutes before
	// an alert (the verdict's), and the column says so.
	if got := strings.Join(titles, ","); got != "shape,app,share,prev 20s,ops,longest,plan,slow,avg s,docs/ret" {
		t.Errorf("columns %s", got)
	}
	if want := "share of sampled active time, last 5s; prev 20s: the 20s before that"; !strings.HasPrefix(tb.Note.String(), want) {
		t.Errorf("note %q, want %q...", tb.Note, want)
	}
	// The pipeline is bounded and carries no values from the commands.
	if !strings.Contains(ss.pipeline.String(), `"$limit": {"$numberInt":"200"}`) {
		t.Errorf("the pipeline has no $limit of 200: %s", ss.pipeline)
	}

	// The log's lines from before are seen once: the vehicles' finds are
	// in the panel with their slow-query figures, and not again.
	ss.write(lines[40:60]...)
	res = step(1)
	tb = shapesTable(t, res)
	row := findRow(tb, "testdb.vehicles find {color: ?} sort {brand: -1}")
	if row == nil {
		t.Fatalf("no row for the vehicles' find from the slow log: %+v", tb.Rows)
	}
	// Two of the capture's lines have this shape: 90 and 190 ms, each
	// returning 101 documents with none examined (the index covers it).
	if got := row.Plain(); !strings.HasSuffix(got, "|2|0.14|0") {
		t.Errorf("vehicles row %q, want 2 slow lines of 0.14 s mean, 0 docs examined per returned", got)
	}
	// Then the log scrolls past 1024 lines between two reads.
	filler := make([]string, 0, 1500)
	for len(filler) < 1500 {
		filler = append(filler, lines[len(filler)%len(lines)])
	}
	ss.write(filler...)
	res = step(1)
	tb = shapesTable(t, res)
	if !strings.Contains(tb.Note.String(), "slow-query log: 476 lines missed between reads (the server keeps 1024)") {
		t.Errorf("note %q does not say what was missed", tb.Note)
	}

	// Not wanted: no sample, no getLog.
	ss.mu.Lock()
	before, logs := ss.samples, ss.getLogs
	ss.mu.Unlock()
	want = false
	step(10)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.samples != before || ss.getLogs != logs {
		t.Errorf("sampled %d and read the log %d times while not wanted", ss.samples-before, ss.getLogs-logs)
	}
	checkScript(t, f, srv)
}

func findRow(tb sources.Table, first string) *sources.Row {
	for i, r := range tb.Rows {
		if r.Field(0) == first {
			return &tb.Rows[i]
		}
	}
	return nil
}

func TestLogCursorCountsWhatScrolledAway(t *testing.T) {
	reply := func(total int, lines ...string) bson.Raw {
		arr := bson.A{}
		for _, l := range lines {
			arr = append(arr, l)
		}
		b, _ := bson.Marshal(bson.D{{Key: "totalLinesWritten", Value: int32(total)}, {Key: "log", Value: arr}})
		return b
	}
	c := logCursor{total: -1}
	if got := c.newLines(reply(3, "a", "b", "c")); strings.Join(got, "") != "abc" {
		t.Errorf("first read %q, want every line", got)
	}
	if got := c.newLines(reply(3, "a", "b", "c")); len(got) != 0 {
		t.Errorf("nothing written: %q", got)
	}
	if got := c.newLines(reply(5, "b", "c", "d", "e")); strings.Join(got, "") != "de" {
		t.Errorf("two new: %q", got)
	}
	if got := c.newLines(reply(10, "h", "i", "j")); strings.Join(got, "") != "hij" || c.missed != 2 {
		t.Errorf("five new, three kept: %q, missed %d", got, c.missed)
	}
	if got := c.newLines(reply(2, "x", "y")); strings.Join(got, "") != "xy" {
		t.Errorf("after a restart every line is new: %q", got)
	}
}
