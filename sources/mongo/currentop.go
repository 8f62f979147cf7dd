package mongo

import (
	"fmt"
	"math"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
	"github.com/stormwatch/stormwatch/text"
)

// The culprit tables, named as the UI knows them.
const (
	tableClients = "top clients"
	tableSlow    = "slow ops"
	tableHot     = "hot collections"
	tableColls   = "largest collections"
)

// The columns of each table, in one place: the job that holds a table
// before its first read and the function that fills it use the same ones.
var (
	colsClients = []sources.Column{{Title: "app", Kind: sources.Name}, {Title: "conns", Kind: sources.Count},
		{Title: "active", Kind: sources.Count}, {Title: "longest", Kind: sources.Seconds}, {Title: "share", Kind: sources.Percent}}
	colsSlow = []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "op", Kind: sources.Label},
		{Title: "plan", Kind: sources.Label}, {Title: "secs", Kind: sources.Seconds}, {Title: "app", Kind: sources.Name}}
	colsHot = []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "read ms/s", Kind: sources.MsPerSec},
		{Title: "write ms/s", Kind: sources.MsPerSec}}
	colsColls = []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "docs", Kind: sources.Count},
		{Title: "size", Kind: sources.Bytes}, {Title: "growth/h", Kind: sources.PerHour}}
)

// rowLimit is how many rows a culprit table shows, and how many documents
// the server is asked to send for it.
const rowLimit = 10

// clientHost is the aggregation expression for a currentOp document's
// client host without its port. It splits on ":" and joins all but the
// last part, so an IPv6 "[::1]:50012" keeps its colons; $regexFind would be
// shorter but needs 4.2, and this runs on 3.6 (so does the nested $ifNull:
// three arguments need 5.0). On mongos, operations relayed from the shards
// carry client_s instead of client.
var clientHost = bson.D{{Key: "$let", Value: bson.D{
	{Key: "vars", Value: bson.D{{Key: "p", Value: bson.D{{Key: "$split", Value: bson.A{
		bson.D{{Key: "$ifNull", Value: bson.A{"$client", bson.D{{Key: "$ifNull", Value: bson.A{"$client_s", ""}}}}}}, ":"}}}}}},
	{Key: "in", Value: bson.D{{Key: "$reduce", Value: bson.D{
		{Key: "input", Value: bson.D{{Key: "$slice", Value: bson.A{"$$p",
			bson.D{{Key: "$max", Value: bson.A{1, bson.D{{Key: "$subtract", Value: bson.A{bson.D{{Key: "$size", Value: "$$p"}}, 1}}}}}}}}}},
		{Key: "initialValue", Value: ""},
		{Key: "in", Value: bson.D{{Key: "$concat", Value: bson.A{"$$value",
			bson.D{{Key: "$cond", Value: bson.A{bson.D{{Key: "$eq", Value: bson.A{"$$value", ""}}}, "", ":"}}}, "$$this"}}}},
	}}}},
}}}

// clientsCommand is the "top clients" aggregation, run on the admin
// database. The grouping happens on the server, so the reply stays a few
// hundred bytes however many connections there are.
//
// The reply is the contract that scripted servers (mongoserver, the demo's
// CulpritReply) must honour: cursor.firstBatch holds exactly one document,
//
//	{top: [{_id: <appName, or the client host without port when the
//	         connection sent no appName>,
//	        conns: <connections, int>, active: <active operations, int>,
//	        longest: <µs the longest active operation has run, number; null
//	                  or absent when none is active>}, ...],
//	 all: [{_id: null, conns: <int>, active: <int>, clients: <groups, int>}]}
//
// top has at most rowLimit groups, most active operations first (then most
// connections, then _id); all has the totals over every group, so a share
// is of all active work, not of the ten shown. all is empty when nothing is
// connected. Internal threads (no client), idle sessions and cursors, and
// stormwatch's own connections (self, its appName) are left out.
// idleConnections: true is what tells this pipeline from the slow-ops one.
func clientsCommand(self string, mongos bool) bson.D {
	opts := bson.D{{Key: "allUsers", Value: true}, {Key: "idleConnections", Value: true}}
	if mongos {
		// The router's own client connections: with the default
		// localOps: false it would list its connections to the shards.
		opts = append(opts, bson.E{Key: "localOps", Value: true})
	}
	key := bson.D{{Key: "$cond", Value: bson.A{
		bson.D{{Key: "$eq", Value: bson.A{bson.D{{Key: "$ifNull", Value: bson.A{"$appName", ""}}}, ""}}},
		clientHost, "$appName"}}}
	pipeline := bson.A{
		bson.D{{Key: "$currentOp", Value: opts}},
		bson.D{{Key: "$match", Value: bson.D{
			{Key: "$or", Value: bson.A{bson.D{{Key: "client", Value: bson.D{{Key: "$exists", Value: true}}}}, bson.D{{Key: "client_s", Value: bson.D{{Key: "$exists", Value: true}}}}}},
			{Key: "type", Value: bson.D{{Key: "$nin", Value: bson.A{"idleSession", "idleCursor"}}}},
			{Key: "appName", Value: bson.D{{Key: "$ne", Value: self}}},
		}}},
		bson.D{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: key},
			{Key: "conns", Value: bson.D{{Key: "$sum", Value: 1}}},
			{Key: "active", Value: bson.D{{Key: "$sum", Value: bson.D{{Key: "$cond", Value: bson.A{"$active", 1, 0}}}}}},
			{Key: "longest", Value: bson.D{{Key: "$max", Value: bson.D{{Key: "$cond", Value: bson.A{"$active", "$microsecs_running", nil}}}}}},
		}}},
		bson.D{{Key: "$facet", Value: bson.D{
			{Key: "top", Value: bson.A{
				bson.D{{Key: "$sort", Value: bson.D{{Key: "active", Value: -1}, {Key: "conns", Value: -1}, {Key: "_id", Value: 1}}}},
				bson.D{{Key: "$limit", Value: rowLimit}},
			}},
			{Key: "all", Value: bson.A{bson.D{{Key: "$group", Value: bson.D{
				{Key: "_id", Value: nil},
				{Key: "conns", Value: bson.D{{Key: "$sum", Value: "$conns"}}},
				{Key: "active", Value: bson.D{{Key: "$sum", Value: "$active"}}},
				{Key: "clients", Value: bson.D{{Key: "$sum", Value: 1}}},
			}}}}},
		}}},
	}
	return aggregate(1, pipeline)
}

// slowCommand is the "slow ops" aggregation, run on the admin database.
// Contract for scripted servers: cursor.firstBatch holds at most rowLimit
// documents, longest-running first, each a currentOp document cut down to
//
//	{ns, op, planSummary?, microsecs_running, appName?, client? | client_s?,
//	 desc?, msg?, progress?: {done, total}}
//
// for active operations that have run more than a second. Internal threads
// (op "none"), the oplog tails of secondaries and change streams (tailable
// cursors: always "COLLSCAN", never a culprit) and stormwatch's own
// operations are left out. Without idleConnections the server skips the
// idle ones before the pipeline starts, which is what makes this cheap.
func slowCommand(self string) bson.D {
	pipeline := bson.A{
		bson.D{{Key: "$currentOp", Value: bson.D{{Key: "allUsers", Value: true}}}},
		bson.D{{Key: "$match", Value: bson.D{
			{Key: "active", Value: true},
			{Key: "microsecs_running", Value: bson.D{{Key: "$gt", Value: 1_000_000}}},
			{Key: "op", Value: bson.D{{Key: "$ne", Value: "none"}}},
			{Key: "ns", Value: bson.D{{Key: "$ne", Value: "local.oplog.rs"}}},
			{Key: "cursor.tailable", Value: bson.D{{Key: "$ne", Value: true}}},
			{Key: "appName", Value: bson.D{{Key: "$ne", Value: self}}},
		}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: "microsecs_running", Value: -1}}}},
		bson.D{{Key: "$limit", Value: rowLimit}},
		bson.D{{Key: "$project", Value: bson.D{
			{Key: "_id", Value: 0}, {Key: "ns", Value: 1}, {Key: "op", Value: 1}, {Key: "planSummary", Value: 1},
			{Key: "microsecs_running", Value: 1}, {Key: "appName", Value: 1}, {Key: "client", Value: 1},
			{Key: "client_s", Value: 1}, {Key: "desc", Value: 1}, {Key: "msg", Value: 1}, {Key: "progress", Value: 1},
		}}},
	}
	return aggregate(1, pipeline)
}

// aggregate is an aggregate command with the reply in the first batch.
// It carries no maxTimeMS of its own: driver v2 appends one to every
// command, from the context's remaining time, and a second would be a
// duplicate field (FerretDB drops the connection on it). runSteps gives
// each command a context of culpritMaxTime.
func aggregate(target any, pipeline bson.A) bson.D {
	return bson.D{
		{Key: "aggregate", Value: target},
		{Key: "pipeline", Value: pipeline},
		{Key: "cursor", Value: bson.D{}},
	}
}

// firstBatch is the documents of a cursor reply's first batch.
func firstBatch(reply bson.Raw) []bson.Raw {
	arr, ok := reply.Lookup("cursor", "firstBatch").ArrayOK()
	if !ok {
		return nil
	}
	vals, err := arr.Values()
	if err != nil {
		return nil
	}
	var out []bson.Raw
	for _, v := range vals {
		if d, ok := v.DocumentOK(); ok {
			out = append(out, d)
		}
	}
	return out
}

// clientGroup is one row of the top-clients reply.
type clientGroup struct {
	Name           string
	Conns, Active  float64
	LongestSeconds float64 // 0 when nothing is active
}

// clientTotals is the all-groups line of the reply.
type clientTotals struct {
	Conns, Active, Clients float64
}

// parseClients reads the top-clients reply document (see clientsCommand).
func parseClients(doc bson.Raw) ([]clientGroup, clientTotals) {
	var groups []clientGroup
	for _, g := range docs(doc, "top") {
		name, _ := g.Lookup("_id").StringValueOK()
		groups = append(groups, clientGroup{
			Name:           name,
			Conns:          num(g, "conns").V,
			Active:         num(g, "active").V,
			LongestSeconds: num(g, "longest").V / 1e6,
		})
	}
	var tot clientTotals
	if all := docs(doc, "all"); len(all) > 0 {
		tot = clientTotals{Conns: num(all[0], "conns").V, Active: num(all[0], "active").V, Clients: num(all[0], "clients").V}
	}
	return groups, tot
}

// pileUp is the fewest active operations worth a highlight: a healthy
// server has a handful active at any instant, and one app holding two of
// three says nothing.
const pileUp = 5

// clientsTable ranks the groups as the server sent them and marks the
// first when it holds more than half of all active operations and they
// are a pile-up: one client doing most of the work is the pattern worth a
// glance.
func clientsTable(groups []clientGroup, tot clientTotals) sources.Table {
	t := sources.Table{Name: tableClients, Columns: colsClients, Highlight: -1}
	for _, g := range groups {
		name := g.Name
		if name == "" {
			name = "(unknown)"
		}
		longest := sources.Num(g.LongestSeconds)
		if g.LongestSeconds <= 0 {
			longest = sources.NoValue()
		}
		share := 0.0
		if tot.Active > 0 {
			share = 100 * g.Active / tot.Active
		}
		t.Rows = append(t.Rows, sources.R(sources.Str(name), sources.Num(math.Round(g.Conns)), sources.Num(math.Round(g.Active)), longest, sources.Num(share)))
	}
	if len(groups) > 0 && tot.Active >= pileUp && groups[0].Active/tot.Active > 0.5 {
		t.Highlight = 0
	}
	switch {
	case len(groups) == 0:
		t.Note = text.Clean("no client connections")
	case tot.Clients > float64(len(groups)):
		t.Note = text.Clean(fmt.Sprintf("top %d of %s clients, %s connections", len(groups), fmtInt(tot.Clients), fmtInt(tot.Conns)))
	}
	return t
}

// slowOp is one row of the slow-ops reply.
type slowOp struct {
	NS, Op, Plan, App string
	Secs              float64
	Collscan          bool
	Tailing           bool // an oplog tail or change stream: waiting, not working
}

// parseSlowOp reads one currentOp document, as the slow-ops pipeline
// projects it or as currentOp reports it whole.
func parseSlowOp(d bson.Raw) slowOp {
	o := slowOp{NS: str(d, "ns"), Op: str(d, "op"), Plan: str(d, "planSummary"), App: str(d, "appName")}
	o.Secs = num(d, "microsecs_running").V / 1e6
	if v := num(d, "secs_running"); o.Secs == 0 && v.OK {
		o.Secs = v.V
	}
	o.Collscan = strings.HasPrefix(o.Plan, "COLLSCAN")
	o.Tailing = o.NS == "local.oplog.rs" || boolean(d, "cursor", "tailable")
	if done, total := num(d, "progress", "done"), num(d, "progress", "total"); total.V > 0 {
		what := "progress"
		if strings.Contains(str(d, "msg"), "Index Build") || strings.HasPrefix(str(d, "desc"), "IndexBuilds") {
			what = "index build"
		}
		o.Plan = fmt.Sprintf("%s %.0f%%", what, math.Floor(100*done.V/total.V))
	}
	if o.App == "" {
		o.App = hostOnly(str(d, "client"))
	}
	if o.App == "" {
		o.App = hostOnly(str(d, "client_s"))
	}
	if o.App == "" {
		o.App = str(d, "desc") // an internal thread: IndexBuildsCoordinatorMongod-0
	}
	return o
}

// slowTable lists the operations, longest first, and marks the longest
// collection scan: an unindexed query is the usual reason a DB pins its CPU.
func slowTable(ops []slowOp) sources.Table {
	t := sources.Table{Name: tableSlow, Columns: colsSlow, Highlight: -1}
	for _, o := range ops {
		if o.Tailing {
			continue
		}
		plan := o.Plan
		if plan == "" {
			plan = "-"
		}
		if o.Collscan && t.Highlight < 0 {
			t.Highlight = len(t.Rows)
		}
		t.Rows = append(t.Rows, sources.R(sources.Str(o.NS), sources.Str(o.Op), sources.Str(plan), sources.Num(o.Secs), sources.Str(o.App)))
		if len(t.Rows) == rowLimit {
			break
		}
	}
	if len(t.Rows) == 0 {
		t.Note = text.Clean("no operation running longer than 1s")
	}
	return t
}

// hostOnly drops the port from host:port (and [v6]:port).
func hostOnly(client string) string {
	i := strings.LastIndex(client, ":")
	if i < 0 || strings.HasSuffix(client, "]") {
		return client
	}
	return client[:i]
}

// docs is the documents of the array at key.
func docs(doc bson.Raw, key string) []bson.Raw { return bsonread.Docs(doc.Lookup(key)) }

func fmtInt(v float64) string { return fmt.Sprintf("%d", int64(math.Round(v))) }
