package mongo

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
	"github.com/stormwatch/stormwatch/sources/mongo/indexadvice"
)

// Explain is what `x` shows: how the server plans the selection's longest
// replayable operation, the index that would serve it, and the indexes
// the collection already has.
type Explain struct {
	Target    Target
	Op        Op
	Winning   string   // "COLLSCAN", "FETCH <- IXSCAN camera_id_1"
	Collscan  bool     // the winning plan scans the whole collection
	Rejected  []string // the other plans the planner tried
	Proposals []indexadvice.Proposal
	Indexes   []indexadvice.Index
	// Docs and Bytes are the collection's size from $collStats: what an
	// index build reads once. -1 when not known.
	Docs, Bytes float64
	// Notes say what could not be read and why (a missing privilege, a
	// server without $indexStats); the panel shows them as they are.
	Notes  []string
	At     time.Time
	Cached bool // shown again from the first explain of this selection
}

// explainReuse is how long an explain is shown again instead of being
// re-run: a member in trouble gets at most one explain per selection.
const explainReuse = 10 * time.Minute

// Explain plans the selection's longest-running find, aggregate, count or
// distinct with verbosity queryPlanner (nothing is executed), then lists
// the collection's indexes and size. Each command has its own deadline;
// the optional ones ($indexStats, $collStats) leave a note when refused.
func (a *Actions) Explain(ctx context.Context, sel Selection) (Explain, error) {
	t, done, err := a.begin()
	if err != nil {
		return Explain{}, err
	}
	defer done()
	key := t.Addr + "\x00" + sel.key()
	a.mu.Lock()
	prev, seen := a.explained[key]
	a.mu.Unlock()
	if seen && a.now().Sub(prev.At) < explainReuse {
		prev.Cached = true
		return prev, nil
	}
	ops, err := a.operations(ctx, t, sel)
	if err != nil {
		return Explain{}, err
	}
	op, ok := replayable(ops)
	if !ok {
		return Explain{}, &ActionError{Step: "explain", Reason: noReplayReason(ops)}
	}
	e := Explain{Target: t, Op: op, At: a.now(), Docs: -1, Bytes: -1}
	db, coll, _ := strings.Cut(op.NS, ".")
	reply, err := a.command(ctx, t, db, explainCommand(op, coll))
	if err != nil {
		return Explain{}, classifyAction("explain", t, err)
	}
	e.Winning, e.Collscan, e.Rejected = readPlans(reply)
	e.Indexes, e.Notes = a.indexes(ctx, t, db, coll)
	filter, sortDoc := op.Filter, op.Sort
	if op.Cmd == "aggregate" {
		filter, sortDoc = pipelineShape(op.Pipeline)
	}
	if e.Proposals, err = indexadvice.Propose(filter, sortDoc, e.Indexes); err != nil {
		e.Notes = append(e.Notes, "no proposal: "+err.Error())
	}
	build := false
	for i, p := range e.Proposals {
		e.Proposals[i].Used = planUses(e.Winning, p.Related)
		build = build || p.Verdict == indexadvice.New || p.Verdict == indexadvice.Extends
	}
	// What a build would read matters only when one is proposed: with an
	// index that serves the query already, the member is not asked.
	if build {
		e.Docs, e.Bytes, e.Notes = a.collSize(ctx, t, db, coll, e.Notes)
	}
	a.mu.Lock()
	a.explained[key] = e
	a.mu.Unlock()
	return e, nil
}

// replayable is the longest-running operation explain can replay.
func replayable(ops []Op) (Op, bool) {
	for _, o := range ops {
		if o.Cmd != "" && !o.TooLargeToReplay && o.NS != "" {
			return o, true
		}
	}
	return Op{}, false
}

func noReplayReason(ops []Op) string {
	if len(ops) == 0 {
		return "no active operation of this app now"
	}
	for _, o := range ops {
		if o.TooLargeToReplay {
			return "the command is too large or truncated by the server; explain it from mongosh"
		}
	}
	return "no find, aggregate, count or distinct among its operations (" + ops[0].Op + " on " + ops[0].NS + ")"
}

// explainCommand is the operation's command wrapped in explain; only the
// shape-defining arguments are replayed (no limit, batch or cursor state).
func explainCommand(op Op, coll string) bson.D {
	inner := bson.D{{Key: op.Cmd, Value: coll}}
	optional := func(key string, v bson.Raw) {
		if len(v) > 0 {
			inner = append(inner, bson.E{Key: key, Value: v})
		}
	}
	switch op.Cmd {
	case "aggregate":
		inner = append(inner, bson.E{Key: "pipeline", Value: rawArray(op.Pipeline)}, bson.E{Key: "cursor", Value: bson.D{}})
	case "count":
		inner = append(inner, bson.E{Key: "query", Value: orEmpty(op.Filter)})
	case "distinct":
		inner = append(inner, bson.E{Key: "key", Value: op.Key}, bson.E{Key: "query", Value: orEmpty(op.Filter)})
	default:
		inner = append(inner, bson.E{Key: "filter", Value: orEmpty(op.Filter)})
		optional("sort", op.Sort)
		optional("projection", op.Projection)
	}
	// What makes the server choose another plan is replayed: explaining
	// without the hint or the collation could show a plan the operation
	// does not run.
	if op.Hint.Type != 0 {
		inner = append(inner, bson.E{Key: "hint", Value: op.Hint})
	}
	optional("collation", op.Collation)
	return bson.D{{Key: "explain", Value: inner}, {Key: "verbosity", Value: "queryPlanner"}}
}

func orEmpty(d bson.Raw) any {
	if len(d) == 0 {
		return bson.D{}
	}
	return d
}

// rawArray is an array kept as its raw bytes, as a value the driver
// writes as a BSON array. (The driver writes a bson.RawArray as binary
// data: an aggregate's pipeline went to the server as BinData, which it
// refuses.)
func rawArray(b bson.Raw) any {
	if len(b) == 0 {
		return bson.A{}
	}
	return bson.RawValue{Type: bson.TypeArray, Value: b}
}

// pipelineShape is the filter of a pipeline's leading $match and the sort
// of a $sort right after it: the part an index can serve.
func pipelineShape(p bson.Raw) (filter, sortDoc bson.Raw) {
	vals, _ := bson.RawArray(p).Values()
	for i, v := range vals {
		st, ok := v.DocumentOK()
		if !ok {
			break
		}
		if m, ok := st.Lookup("$match").DocumentOK(); ok && i == 0 {
			filter = m
			continue
		}
		if s, ok := st.Lookup("$sort").DocumentOK(); ok && i <= 1 {
			sortDoc = s
		}
		break
	}
	return filter, sortDoc
}

// indexes lists the collection's indexes and, where permitted, how often
// each was used.
func (a *Actions) indexes(ctx context.Context, t Target, db, coll string) ([]indexadvice.Index, []string) {
	var notes []string
	reply, err := a.command(ctx, t, db, bson.D{{Key: "listIndexes", Value: coll}})
	if err != nil {
		return nil, append(notes, "existing indexes unknown: "+classifyAction("listIndexes", t, err).Error())
	}
	var out []indexadvice.Index
	for _, d := range firstBatch(reply) {
		key, _ := d.Lookup("key").DocumentOK()
		out = append(out, indexadvice.Index{Name: str(d, "name"), Keys: indexadvice.ParseKeys(key), Uses: -1})
	}
	stats, err := a.command(ctx, t, db, aggregate(coll, bson.A{
		bson.D{{Key: "$indexStats", Value: bson.D{}}},
		bson.D{{Key: "$project", Value: bson.D{{Key: "name", Value: 1}, {Key: "accesses.ops", Value: 1}}}},
	}))
	if err != nil {
		return out, append(notes, "index use counts unknown: "+classifyAction("$indexStats", t, err).Error())
	}
	uses := map[string]int64{}
	for _, d := range firstBatch(stats) {
		uses[str(d, "name")] += int64(num(d, "accesses", "ops").V)
	}
	for i := range out {
		if n, ok := uses[out[i].Name]; ok {
			out[i].Uses = n
		}
	}
	return out, notes
}

// collSize reads the collection's document count and data size.
func (a *Actions) collSize(ctx context.Context, t Target, db, coll string, notes []string) (float64, float64, []string) {
	reply, err := a.command(ctx, t, db, aggregate(coll, bson.A{
		bson.D{{Key: "$collStats", Value: bson.D{{Key: "storageStats", Value: bson.D{}}}}},
		bson.D{{Key: "$project", Value: bson.D{{Key: "storageStats.count", Value: 1}, {Key: "storageStats.size", Value: 1}}}},
	}))
	if err != nil {
		return -1, -1, append(notes, "build cost unknown: "+classifyAction("$collStats", t, err).Error())
	}
	var docs, size float64
	batch := firstBatch(reply)
	if len(batch) == 0 {
		return -1, -1, append(notes, "build cost unknown: $collStats returned nothing")
	}
	for _, d := range batch { // one per shard on a mongos
		docs += num(d, "storageStats", "count").V
		size += num(d, "storageStats", "size").V
	}
	return docs, size, notes
}

// readPlans finds the queryPlanner section wherever the server put it
// (find: top level; aggregate: under stages[0].$cursor; mongos: per
// shard) and describes its winning and rejected plans.
func readPlans(reply bson.Raw) (winning string, collscan bool, rejected []string) {
	qp, ok := findDoc(reply, "queryPlanner", 6)
	if !ok {
		return "plan not reported", false, nil
	}
	wp, _ := qp.Lookup("winningPlan").DocumentOK()
	if shards, ok := wp.Lookup("shards").ArrayOK(); ok { // mongos: the first shard's plan
		if vals, _ := shards.Values(); len(vals) > 0 {
			if d, ok := vals[0].DocumentOK(); ok {
				wp, _ = d.Lookup("winningPlan").DocumentOK()
			}
		}
	}
	if q, ok := wp.Lookup("queryPlan").DocumentOK(); ok { // SBE, 7.0+
		wp = q
	}
	winning = describePlan(wp)
	collscan = strings.Contains(winning, "COLLSCAN")
	for _, d := range bsonread.Docs(qp.Lookup("rejectedPlans")) {
		if q, ok := d.Lookup("queryPlan").DocumentOK(); ok {
			d = q
		}
		rejected = append(rejected, describePlan(d))
	}
	return winning, collscan, rejected
}

// planUses says whether a plan as describePlan writes it ("FETCH <-
// IXSCAN user_id_1") scans the index named.
func planUses(plan, index string) bool {
	if index == "" {
		return false
	}
	for _, stage := range strings.Split(plan, " <- ") {
		if strings.HasSuffix(stage, " "+index) {
			return true
		}
	}
	return false
}

// describePlan is a plan's stages from the top down: "FETCH <- IXSCAN
// camera_id_1". Only the first input of a multi-input stage is followed.
func describePlan(d bson.Raw) string {
	var parts []string
	for depth := 0; len(d) > 0 && depth < 12; depth++ {
		stage := str(d, "stage")
		if ix := str(d, "indexName"); ix != "" {
			stage += " " + ix
		}
		if stage != "" {
			parts = append(parts, stage)
		}
		next, ok := d.Lookup("inputStage").DocumentOK()
		if !ok {
			if arr, isArr := d.Lookup("inputStages").ArrayOK(); isArr {
				if vals, _ := arr.Values(); len(vals) > 0 {
					next, ok = vals[0].DocumentOK()
				}
			}
		}
		if !ok {
			break
		}
		d = next
	}
	if len(parts) == 0 {
		return "plan not reported"
	}
	return strings.Join(parts, " <- ")
}

// findDoc is the first document under key anywhere within depth levels.
func findDoc(d bson.Raw, key string, depth int) (bson.Raw, bool) {
	if depth < 0 {
		return nil, false
	}
	if v, ok := d.Lookup(key).DocumentOK(); ok {
		return v, true
	}
	elems, _ := d.Elements()
	for _, e := range elems {
		var sub bson.Raw
		if doc, ok := e.Value().DocumentOK(); ok {
			sub = doc
		} else if arr, ok := e.Value().ArrayOK(); ok {
			sub = bson.Raw(arr)
		} else {
			continue
		}
		if v, ok := findDoc(sub, key, depth-1); ok {
			return v, true
		}
	}
	return nil, false
}

// IsActionError tells a refusal the operator can act on from a failure.
func IsActionError(err error) (*ActionError, bool) {
	var ae *ActionError
	ok := errors.As(err, &ae)
	return ae, ok
}
