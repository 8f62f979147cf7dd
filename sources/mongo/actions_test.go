package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
	"github.com/stormwatch/stormwatch/sources/mongo/indexadvice"
)

// actionMongod scripts what the actions read and do on a mongod: the
// operations $currentOp lists, explain, the indexes, and killOp. It
// records every action command as the driver sent it.
type actionMongod struct {
	f *fakeMongod

	mu      sync.Mutex
	ops     []bson.D          // what $currentOp lists
	killed  map[string]bool   // opids killOp was sent for
	stay    bool              // killed operations keep running (killOp only asks)
	refuse  map[string]bool   // step -> Unauthorized
	sent    []string          // relaxed Extended JSON of each action command, driver fields removed
	maxTime map[string]string // cmd -> "" when its maxTimeMS was fine, else what was wrong
}

func newActionMongod() *actionMongod {
	a := &actionMongod{f: newFake(), killed: map[string]bool{}, refuse: map[string]bool{}, maxTime: map[string]string{}}
	a.f.extra = map[string]mongoserver.Handler{}
	return a
}

// script registers handlers only for what a test expects, so a command it
// did not expect is CommandNotFound and fails the test (checkScript).
func (a *actionMongod) script(cmds ...string) {
	for _, c := range cmds {
		a.f.extra[c] = a.handle
	}
}

// driverFields are added by the driver to every command.
var driverFields = map[string]bool{"lsid": true, "$clusterTime": true, "maxTimeMS": true, "$readPreference": true, "apiVersion": true}

func (a *actionMongod) record(cmd string, body bson.Raw) {
	var d bson.D
	elems, _ := body.Elements()
	ms := int64(-1)
	for _, e := range elems {
		if e.Key() == "maxTimeMS" {
			ms, _ = e.Value().AsInt64OK()
		}
		if !driverFields[e.Key()] {
			d = append(d, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	b, _ := bson.MarshalExtJSON(d, false, false)
	a.mu.Lock()
	a.sent = append(a.sent, string(b))
	if ms <= 0 || ms > actionTimeout.Milliseconds() {
		a.maxTime[cmd] = fmt.Sprintf("maxTimeMS %d", ms)
	}
	a.mu.Unlock()
}

func (a *actionMongod) handle(cmd string, body bson.Raw) (bson.D, error) {
	a.record(cmd, body)
	stage := ""
	if cmd == "aggregate" {
		if vals, err := body.Lookup("pipeline").Array().Values(); err == nil && len(vals) > 0 {
			if el, err := vals[0].Document().IndexErr(0); err == nil {
				stage = el.Key()
			}
		}
	}
	step := cmd
	if stage != "" {
		step = stage
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.refuse[step] {
		return nil, mongoserver.ErrUnauthorized
	}
	switch step {
	case "$currentOp":
		return a.currentOp(body), nil
	case "killOp":
		a.killed[opidText(body.Lookup("op"))] = true
		return bson.D{{Key: "info", Value: "attempting to kill op"}}, nil
	case "explain":
		return explainReply(), nil
	case "listIndexes":
		return cursorReply("cctv.events", bson.A{
			bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "_id", Value: int32(1)}}}, {Key: "name", Value: "_id_"}},
			bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "camera_id", Value: 1.0}}}, {Key: "name", Value: "camera_id_1"}},
		}), nil
	case "$indexStats":
		return cursorReply("cctv.events", bson.A{
			bson.D{{Key: "name", Value: "_id_"}, {Key: "accesses", Value: bson.D{{Key: "ops", Value: int64(3)}}}},
			bson.D{{Key: "name", Value: "camera_id_1"}, {Key: "accesses", Value: bson.D{{Key: "ops", Value: int64(0)}}}},
		}), nil
	case "$collStats":
		return cursorReply("cctv.events", bson.A{bson.D{{Key: "storageStats", Value: bson.D{
			{Key: "count", Value: int32(3_700_000)}, {Key: "size", Value: int64(2_100_000_000)}}}}}), nil
	case "setQuerySettings", "removeQuerySettings":
		return bson.D{}, nil
	}
	return nil, nil
}

// currentOp answers the listing (by app) and the verification (by opid).
func (a *actionMongod) currentOp(body bson.Raw) bson.D {
	match := bson.Raw(body.Lookup("pipeline").Array().Index(1).Document()).Lookup("$match").Document()
	batch := bson.A{}
	if in, ok := match.Lookup("opid", "$in").ArrayOK(); ok {
		vals, _ := in.Values()
		for _, v := range vals {
			if id := opidText(v); a.stay || !a.killed[id] {
				batch = append(batch, bson.D{{Key: "opid", Value: v}})
			}
		}
		return cursorReply("admin.$cmd.aggregate", batch)
	}
	for _, op := range a.ops {
		raw, _ := bson.Marshal(op)
		if !a.killed[opidText(bson.Raw(raw).Lookup("opid"))] {
			batch = append(batch, op)
		}
	}
	return cursorReply("admin.$cmd.aggregate", batch)
}

// explainReply is a 7.0 classic-engine explain of the demo's scan.
func explainReply() bson.D {
	return bson.D{
		{Key: "explainVersion", Value: "1"},
		{Key: "queryPlanner", Value: bson.D{
			{Key: "namespace", Value: "cctv.events"},
			{Key: "winningPlan", Value: bson.D{{Key: "stage", Value: "SORT"}, {Key: "inputStage", Value: bson.D{{Key: "stage", Value: "COLLSCAN"}, {Key: "direction", Value: "forward"}}}}},
			{Key: "rejectedPlans", Value: bson.A{bson.D{{Key: "stage", Value: "SORT"}, {Key: "inputStage", Value: bson.D{
				{Key: "stage", Value: "FETCH"}, {Key: "inputStage", Value: bson.D{{Key: "stage", Value: "IXSCAN"}, {Key: "indexName", Value: "camera_id_1"}}}}}}}},
		}},
		{Key: "command", Value: bson.D{{Key: "find", Value: "events"}}},
	}
}

// scanOp is server-c's unindexed find as the listing projects it.
func scanOp(opid int32, app string) bson.D {
	return bson.D{{Key: "opid", Value: opid}, {Key: "appName", Value: app}, {Key: "client", Value: "10.0.3.7:51234"},
		{Key: "ns", Value: "cctv.events"}, {Key: "op", Value: "query"}, {Key: "planSummary", Value: "COLLSCAN"},
		{Key: "microsecs_running", Value: int64(14_000_000)},
		{Key: "command", Value: bson.D{{Key: "find", Value: "events"},
			{Key: "filter", Value: bson.D{{Key: "camera_id", Value: int32(17)}, {Key: "ts", Value: bson.D{{Key: "$gte", Value: int64(1700000000)}}}}},
			{Key: "sort", Value: bson.D{{Key: "ts", Value: int32(-1)}}}}}}
}

func startActionServer(t *testing.T, a *actionMongod, mongos bool) *Actions {
	t.Helper()
	var srv *mongoserver.Server
	var err error
	if mongos {
		a.f.process = "mongos"
		srv, err = mongoserver.NewMongos(a.f.handle)
	} else {
		srv, err = mongoserver.New(a.f.handle)
	}
	if err != nil {
		t.Fatal(err)
	}
	s := newSource(t, "mongodb://"+srv.Addr()+"/?directConnection=true", nil)
	mustPoll(t, s)
	acts := s.Actions()
	t.Cleanup(func() {
		acts.Close(context.Background())
		srv.Close()
		checkScript(t, a.f, srv)
		a.mu.Lock()
		defer a.mu.Unlock()
		for cmd, bad := range a.maxTime {
			t.Errorf("%s sent without a deadline of at most %s: %s", cmd, actionTimeout, bad)
		}
	})
	return acts
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func (a *actionMongod) commands() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.sent...)
}

func TestExplainSendsQueryPlannerAndProposesTheIndex(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "explain", "listIndexes")
	a.ops = []bson.D{scanOp(901, "server-c"), scanOp(902, "server-c")}
	acts := startActionServer(t, a, false)
	e, err := acts.Explain(ctx(t), Selection{App: "server-c", NS: "cctv.events"})
	if err != nil {
		t.Fatal(err)
	}
	sent := a.commands()
	wantExplain := `{"explain":{"find":"events","filter":{"camera_id":17,"ts":{"$gte":1700000000}},"sort":{"ts":-1}},"verbosity":"queryPlanner","$db":"cctv"}`
	wantList := `{"listIndexes":"events","$db":"cctv"}`
	wantStats := `{"aggregate":"events","pipeline":[{"$indexStats":{}},{"$project":{"name":1,"accesses.ops":1}}],"cursor":{},"$db":"cctv"}`
	wantColl := `{"aggregate":"events","pipeline":[{"$collStats":{"storageStats":{}}},{"$project":{"storageStats.count":1,"storageStats.size":1}}],"cursor":{},"$db":"cctv"}`
	if len(sent) != 5 || sent[1] != wantExplain || sent[2] != wantList || sent[3] != wantStats || sent[4] != wantColl {
		t.Fatalf("commands sent:\n%s", strings.Join(sent, "\n"))
	}
	for _, want := range []string{`{"$currentOp":{"allUsers":true}}`, `"$or":[{"appName":"server-c"},{"desc":"server-c"},{"client":{"$regex":"^server-c:"}}`, `"ns":"cctv.events"`, `{"$limit":20}`} {
		if !strings.Contains(sent[0], want) {
			t.Errorf("listing %s lacks %s", sent[0], want)
		}
	}
	if !e.Collscan || e.Winning != "SORT <- COLLSCAN" || len(e.Rejected) != 1 || e.Rejected[0] != "SORT <- FETCH <- IXSCAN camera_id_1" {
		t.Errorf("plans: %q collscan=%v rejected %q", e.Winning, e.Collscan, e.Rejected)
	}
	if len(e.Proposals) != 1 || indexadvice.Pattern(e.Proposals[0].Keys) != "{camera_id: 1, ts: -1}" ||
		e.Proposals[0].Verdict != indexadvice.Extends || e.Proposals[0].Related != "camera_id_1" {
		t.Errorf("proposal %+v", e.Proposals)
	}
	if e.Docs != 3_700_000 || e.Bytes != 2_100_000_000 || len(e.Indexes) != 2 || e.Indexes[1].Uses != 0 || e.Op.ID != "901" {
		t.Errorf("explain %+v", e)
	}
	again, err := acts.Explain(ctx(t), Selection{App: "server-c", NS: "cctv.events"})
	if err != nil || !again.Cached || len(a.commands()) != 5 {
		t.Errorf("a second x on the same selection sent %d more commands (cached=%v, %v)", len(a.commands())-5, again.Cached, err)
	}
}

func TestExplainRefusedNamesTheRoleAndOptionalStepsLeaveNotes(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "explain", "listIndexes")
	a.ops = []bson.D{scanOp(901, "server-c")}
	a.refuse["$indexStats"] = true
	acts := startActionServer(t, a, false)
	e, err := acts.Explain(ctx(t), Selection{App: "server-c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "grant the indexStats action (role clusterMonitor)") || e.Indexes[0].Uses != -1 {
		t.Errorf("notes %q indexes %+v", e.Notes, e.Indexes)
	}

	b := newActionMongod()
	b.script("aggregate", "explain")
	b.ops = []bson.D{scanOp(901, "server-c")}
	b.refuse["explain"] = true
	acts = startActionServer(t, b, false)
	_, err = acts.Explain(ctx(t), Selection{App: "server-c"})
	ae, ok := IsActionError(err)
	if !ok || ae.Grant != Grants["explain"] || !strings.Contains(err.Error(), "explain: not authorized: grant the find action") {
		t.Errorf("refused explain: %v", err)
	}
}

func TestStopNeedsTheTypedAppNameAndSendsNothingOtherwise(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate")
	a.ops = []bson.D{scanOp(901, "server-c")}
	acts := startActionServer(t, a, false)
	sel := Selection{App: "server-c"}
	ops, _, err := acts.Operations(ctx(t), sel)
	if err != nil || len(ops) != 1 {
		t.Fatalf("ops %v %v", ops, err)
	}
	for _, typed := range []string{"", "server", "Server-C", "server-c2", "y"} {
		if _, err := acts.Stop(ctx(t), sel, ops, typed, "ana"); !errors.Is(err, ErrNotConfirmed) {
			t.Errorf("typed %q: %v", typed, err)
		}
	}
	if n := len(a.commands()); n != 1 {
		t.Errorf("%d commands after wrong confirmations, want only the listing", n)
	}
	if len(a.killed) != 0 {
		t.Errorf("killed %v", a.killed)
	}
}

func TestStopKillsWithACommentAndChecksThatTheyAreGone(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "killOp")
	a.ops = []bson.D{scanOp(901, "server-c"), scanOp(902, "server-c"),
		// an index build the same app started: listed, refused, never sent
		{{Key: "opid", Value: int32(903)}, {Key: "appName", Value: "server-c"}, {Key: "client", Value: "10.0.3.7:1"}, {Key: "ns", Value: "cctv.events"},
			{Key: "op", Value: "command"}, {Key: "msg", Value: "Index Build: scanning collection"},
			{Key: "command", Value: bson.D{{Key: "createIndexes", Value: "events"}}}},
	}
	acts := startActionServer(t, a, false)
	sel := Selection{App: "server-c"}
	ops, _, err := acts.Operations(ctx(t), sel)
	if err != nil || len(ops) != 3 || !strings.HasPrefix(ops[2].Refuse, "an index build") {
		t.Fatalf("ops %+v %v", ops, err)
	}
	r, err := acts.Stop(ctx(t), sel, ops, " server-c ", "ana@laptop\x1b[31m")
	if err != nil {
		t.Fatal(err)
	}
	sent := a.commands()
	want := []string{
		`{"killOp":1,"op":901,"comment":"stormwatch: stopped by ana@laptop\\x1b[31m (app server-c)","$db":"admin"}`,
		`{"killOp":1,"op":902,"comment":"stormwatch: stopped by ana@laptop\\x1b[31m (app server-c)","$db":"admin"}`,
		`{"aggregate":1,"pipeline":[{"$currentOp":{"allUsers":true}},{"$match":{"opid":{"$in":[901,902]}}},{"$project":{"_id":0,"opid":1}}],"cursor":{},"$db":"admin"}`,
	}
	if len(sent) != 4 || strings.Join(sent[1:], "\n") != strings.Join(want, "\n") {
		t.Fatalf("commands sent:\n%s", strings.Join(sent, "\n"))
	}
	if len(r.Asked) != 2 || r.Remaining != 0 || len(r.Skipped) != 1 {
		t.Errorf("result %+v", r)
	}
	if s := r.Summary("server-c"); !strings.Contains(s, "killOp sent for 2 operation(s) of server-c") || !strings.Contains(s, "all gone") || !strings.Contains(s, "1 left alone (an index build") {
		t.Errorf("summary %q", s)
	}
}

func TestStopSaysHowManyRemainWhenKillOpOnlyAsks(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "killOp")
	a.ops = []bson.D{scanOp(901, "server-c")}
	a.stay = true
	acts := startActionServer(t, a, false)
	ops, _, _ := acts.Operations(ctx(t), Selection{App: "server-c"})
	r, err := acts.Stop(ctx(t), Selection{App: "server-c"}, ops, "server-c", "ana")
	if err != nil {
		t.Fatal(err)
	}
	if r.Remaining != 1 || len(a.commands()) != 2+verifyTries {
		t.Errorf("remaining %d after %d commands", r.Remaining, len(a.commands()))
	}
	if s := r.Summary("server-c"); !strings.Contains(s, "1 still running (killOp only asks") {
		t.Errorf("summary %q", s)
	}
}

func TestStopRefusedNamesTheRoleToGrant(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "killOp")
	a.ops = []bson.D{scanOp(901, "server-c"), scanOp(902, "server-c")}
	a.refuse["killOp"] = true
	acts := startActionServer(t, a, false)
	ops, _, _ := acts.Operations(ctx(t), Selection{App: "server-c"})
	_, err := acts.Stop(ctx(t), Selection{App: "server-c"}, ops, "server-c", "ana")
	if err == nil || err.Error() != "killOp: not authorized: grant "+Grants["killOp"] {
		t.Errorf("err %v", err)
	}
	if n := len(a.commands()); n != 2 {
		t.Errorf("%d commands: after the first refusal nothing more should be sent", n)
	}
}

func TestMongosWritesAreNotStoppedAndSaySo(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "killOp")
	write := bson.D{{Key: "opid", Value: "shard-01:4411"}, {Key: "appName", Value: "server-c"}, {Key: "client_s", Value: "10.0.3.7:5"},
		{Key: "ns", Value: "cctv.events"}, {Key: "op", Value: "update"}, {Key: "microsecs_running", Value: int64(9e6)}}
	read := bson.D{{Key: "opid", Value: "shard-01:4412"}, {Key: "appName", Value: "server-c"}, {Key: "client_s", Value: "10.0.3.7:6"},
		{Key: "ns", Value: "cctv.events"}, {Key: "op", Value: "query"}, {Key: "microsecs_running", Value: int64(8e6)},
		{Key: "command", Value: bson.D{{Key: "find", Value: "events"}}}}
	a.ops = []bson.D{write, read}
	acts := startActionServer(t, a, true)
	ops, tgt, err := acts.Operations(ctx(t), Selection{App: "server-c"})
	if err != nil || !tgt.Mongos || len(ops) != 2 {
		t.Fatalf("%+v %+v %v", ops, tgt, err)
	}
	if !strings.Contains(ops[0].Refuse, "does not reach the shards") || ops[1].Refuse != "" {
		t.Errorf("refusals %q %q", ops[0].Refuse, ops[1].Refuse)
	}
	if sent := a.commands(); !strings.Contains(sent[0], `"localOps":true`) {
		t.Errorf("listing on mongos without localOps: %s", sent[0])
	}
	r, err := acts.Stop(ctx(t), Selection{App: "server-c"}, ops, "server-c", "ana")
	if err != nil || len(r.Asked) != 1 || r.Asked[0].ID != "shard-01:4412" {
		t.Errorf("%+v %v", r, err)
	}
	if !a.killed["shard-01:4412"] || a.killed["shard-01:4411"] {
		t.Errorf("killed %v", a.killed)
	}
}

func TestRefusalsNeverStopInternalReplicationOrIndexBuilds(t *testing.T) {
	cases := []struct {
		name string
		op   bson.D
		want string
	}{
		{"an index build coordinator thread", bson.D{{Key: "desc", Value: "IndexBuildsCoordinatorMongod-0"}, {Key: "op", Value: "command"}}, "an index build"},
		{"the oplog fetcher of a secondary", bson.D{{Key: "appName", Value: "OplogFetcher"}, {Key: "client", Value: "10.0.0.2:1"}, {Key: "ns", Value: "local.oplog.rs"}}, "replication"},
		{"a TTL monitor", bson.D{{Key: "desc", Value: "TTLMonitor"}, {Key: "op", Value: "none"}}, "an internal operation"},
		{"a change stream", bson.D{{Key: "client", Value: "10.0.0.9:1"}, {Key: "cursor", Value: bson.D{{Key: "tailable", Value: true}}}}, "a change stream"},
		{"a client's find", bson.D{{Key: "client", Value: "10.0.0.9:1"}, {Key: "op", Value: "query"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := parseOp(mustRaw(t, c.op), false)
			if c.want == "" && o.Refuse != "" || !strings.HasPrefix(o.Refuse, c.want) {
				t.Errorf("refuse %q, want %q", o.Refuse, c.want)
			}
		})
	}
}

func TestRejectShapeNeedsEightAndShowsTheUndo(t *testing.T) {
	op := parseOp(mustRaw(t, scanOp(901, "server-c")), false)
	if _, err := PlanReject(Target{Version: "7.0.9", Process: "mongod"}, op); err == nil || !strings.Contains(err.Error(), "needs MongoDB 8.0 or later (mongod 7.0.9)") {
		t.Errorf("7.0: %v", err)
	}
	p, err := PlanReject(Target{Version: "8.0.4", Process: "mongod"}, op)
	if err != nil {
		t.Fatal(err)
	}
	want := `db.adminCommand({"removeQuerySettings":{"find":"events","filter":{"camera_id":17,"ts":{"$gte":1700000000}},"sort":{"ts":-1},"$db":"cctv"}})`
	if p.UndoShell != want || !strings.Contains(p.SetShell, `"settings":{"reject":true}`) {
		t.Errorf("set %s\nundo %s", p.SetShell, p.UndoShell)
	}
}

func TestASecondActionIsRefusedWhileOneRuns(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate", "killOp")
	a.ops = []bson.D{scanOp(901, "server-c")}
	a.stay = true // the stop keeps checking for verifyTries*verifyGap
	acts := startActionServer(t, a, false)
	ops, _, _ := acts.Operations(ctx(t), Selection{App: "server-c"})
	done := make(chan error)
	go func() {
		_, err := acts.Stop(ctx(t), Selection{App: "server-c"}, ops, "server-c", "ana")
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for len(a.commands()) < 3 && time.Now().Before(deadline) { // killOp and the first check sent
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := acts.Explain(ctx(t), Selection{App: "server-c"}); !errors.Is(err, ErrBusy) {
		t.Errorf("explain during a stop: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAnActionOnAServerThatDoesNotAnswerGivesUpAtItsDeadline(t *testing.T) {
	a := newActionMongod()
	a.script("aggregate")
	acts := startActionServer(t, a, false)
	tgt, _ := acts.target()
	slow, err := mongoserver.New(a.f.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slow.SetDelay(actionTimeout + time.Second)
	acts.target = func() (Target, bool) { tgt.Addr = slow.Addr(); return tgt, true }
	_, _, err = acts.Operations(ctx(t), Selection{App: "server-c"})
	if err == nil || !strings.Contains(err.Error(), "no reply within 2s: the server is struggling; nothing more is sent") {
		t.Errorf("err %v", err)
	}
}

func TestRejectAndUndoSendTheQuerySettingsCommands(t *testing.T) {
	a := newActionMongod()
	a.script("setQuerySettings", "removeQuerySettings")
	acts := startActionServer(t, a, false)
	op := parseOp(mustRaw(t, scanOp(901, "server-c")), false)
	p, err := PlanReject(Target{Version: "8.0.4", Process: "mongod"}, op)
	if err != nil {
		t.Fatal(err)
	}
	if err := acts.Reject(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	if err := acts.Undo(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	shape := `{"find":"events","filter":{"camera_id":17,"ts":{"$gte":1700000000}},"sort":{"ts":-1},"$db":"cctv"}`
	want := []string{
		`{"setQuerySettings":` + shape + `,"settings":{"reject":true},"$db":"admin"}`,
		`{"removeQuerySettings":` + shape + `,"$db":"admin"}`,
	}
	if got := a.commands(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands sent:\n%s", strings.Join(got, "\n"))
	}
}

// Through the real driver: an aggregate's pipeline went out as BinData (the
// driver writes a bson.RawArray as binary), which a server refuses, and a
// find's projection and collation were left out of the rejected shape, so
// the reject matched a shape the operation does not have.
func TestRejectSendsTheWholeShapeAsTheServerReadsIt(t *testing.T) {
	a := newActionMongod()
	a.script("setQuerySettings")
	acts := startActionServer(t, a, false)
	agg := bson.D{{Key: "opid", Value: int32(7)}, {Key: "ns", Value: "cctv.events"}, {Key: "command", Value: bson.D{
		{Key: "aggregate", Value: "events"}, {Key: "pipeline", Value: bson.A{bson.D{{Key: "$match", Value: bson.D{{Key: "camera_id", Value: int32(17)}}}}}},
		{Key: "collation", Value: bson.D{{Key: "locale", Value: "fr"}}}}}}
	find := bson.D{{Key: "opid", Value: int32(8)}, {Key: "ns", Value: "cctv.events"}, {Key: "command", Value: bson.D{
		{Key: "find", Value: "events"}, {Key: "filter", Value: bson.D{{Key: "camera_id", Value: int32(17)}}},
		{Key: "projection", Value: bson.D{{Key: "ts", Value: int32(1)}}}}}}
	for _, d := range []bson.D{agg, find} {
		p, err := PlanReject(Target{Version: "8.0.4", Process: "mongod"}, parseOp(mustRaw(t, d), false))
		if err != nil {
			t.Fatal(err)
		}
		if err := acts.Reject(ctx(t), p); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		`{"setQuerySettings":{"aggregate":"events","pipeline":[{"$match":{"camera_id":17}}],"collation":{"locale":"fr"},"$db":"cctv"},"settings":{"reject":true},"$db":"admin"}`,
		`{"setQuerySettings":{"find":"events","filter":{"camera_id":17},"projection":{"ts":1},"$db":"cctv"},"settings":{"reject":true},"$db":"admin"}`,
	}
	if got := a.commands(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
