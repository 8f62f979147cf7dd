package mongo

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Selection is the culprit row an action is about: the app of a top-client
// row (an appName, or a client host when the connection sent none), and
// for a slow-op row its namespace too.
type Selection struct {
	App string
	NS  string // "" for every namespace
}

func (s Selection) key() string { return s.App + "\x00" + s.NS }

// Op is one operation of the selection, as $currentOp reported it.
type Op struct {
	ID     string        // the opid as text, for display
	opid   bson.RawValue // as the server sent it (int32, int64, or "shard:n" on mongos)
	App    string
	Client string // host without port
	NS     string
	Op     string // query, getmore, insert, update, remove, command
	Plan   string // planSummary
	Secs   float64
	// Cmd is the command's name (find, aggregate, count, distinct) when
	// explain can replay it; Filter, Sort and Pipeline are its arguments,
	// nil when absent or larger than maxCommandBytes. Hint, Collation and
	// Projection change the plan the server chooses, so explain replays
	// them too; Key is distinct's field.
	Cmd                   string
	Filter, Sort          bson.Raw
	Pipeline              bson.Raw
	Collation, Projection bson.Raw
	Hint                  bson.RawValue // an index's name or key pattern
	Key                   string
	Refuse                string // why this operation must not be stopped; "" when it may
	TooLargeToReplay      bool
}

// opsLimit bounds the operations one action lists and may stop: the reply
// stays small, and a mistaken selection cannot stop a thousand operations.
const opsLimit = 20

// maxCommandBytes is the largest filter, sort or pipeline kept from an
// operation's command (the server itself truncates long ones in currentOp).
const maxCommandBytes = 8 << 10

// opsCommand lists the active operations of a selection, longest first.
// Internal threads and stormwatch's own operations are listed too when
// they match (they are shown as refused, never stopped) except its own.
func opsCommand(sel Selection, self string, mongos bool) bson.D {
	opts := bson.D{{Key: "allUsers", Value: true}}
	if mongos {
		opts = append(opts, bson.E{Key: "localOps", Value: true})
	}
	host := "^" + regexp.QuoteMeta(sel.App) + ":"
	match := bson.D{
		{Key: "active", Value: true},
		{Key: "appName", Value: bson.D{{Key: "$ne", Value: self}}},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "appName", Value: sel.App}},
			bson.D{{Key: "desc", Value: sel.App}},
			bson.D{{Key: "client", Value: bson.D{{Key: "$regex", Value: host}}}},
			bson.D{{Key: "client_s", Value: bson.D{{Key: "$regex", Value: host}}}},
		}},
	}
	if sel.NS != "" {
		match = append(match, bson.E{Key: "ns", Value: sel.NS})
	}
	project := bson.D{{Key: "_id", Value: 0}}
	for _, f := range []string{"opid", "appName", "client", "client_s", "desc", "ns", "op", "planSummary",
		"microsecs_running", "msg", "progress", "cursor.tailable", "command.find", "command.aggregate",
		"command.count", "command.distinct", "command.filter", "command.query", "command.sort",
		"command.pipeline", "command.hint", "command.collation", "command.projection", "command.key", "command.createIndexes", "command.insert", "command.update", "command.delete",
		"command.findAndModify", "command.$truncated"} {
		project = append(project, bson.E{Key: f, Value: 1})
	}
	return aggregate(1, bson.A{
		bson.D{{Key: "$currentOp", Value: opts}},
		bson.D{{Key: "$match", Value: match}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: "microsecs_running", Value: -1}}}},
		bson.D{{Key: "$limit", Value: opsLimit}},
		bson.D{{Key: "$project", Value: project}},
	})
}

// parseOp reads one document of the opsCommand reply.
func parseOp(d bson.Raw, mongos bool) Op {
	o := Op{opid: d.Lookup("opid"), App: str(d, "appName"), NS: str(d, "ns"), Op: str(d, "op"), Plan: str(d, "planSummary")}
	o.ID = opidText(o.opid)
	o.Secs = num(d, "microsecs_running").V / 1e6
	o.Client = hostOnly(str(d, "client"))
	if o.Client == "" {
		o.Client = hostOnly(str(d, "client_s"))
	}
	if o.App == "" {
		o.App = o.Client
	}
	cmd, _ := d.Lookup("command").DocumentOK()
	for _, name := range []string{"find", "aggregate", "count", "distinct"} {
		if _, ok := cmd.Lookup(name).StringValueOK(); ok {
			o.Cmd = name
			break
		}
	}
	keep := func(keys ...string) bson.Raw {
		for _, k := range keys {
			v := cmd.Lookup(k)
			if doc, ok := v.DocumentOK(); ok {
				if len(doc) > maxCommandBytes {
					o.TooLargeToReplay = true
					return nil
				}
				return doc
			}
			if arr, ok := v.ArrayOK(); ok {
				if len(arr) > maxCommandBytes {
					o.TooLargeToReplay = true
					return nil
				}
				return bson.Raw(arr)
			}
		}
		return nil
	}
	o.Filter, o.Sort, o.Pipeline = keep("filter", "query"), keep("sort"), keep("pipeline")
	o.Collation, o.Projection, o.Key = keep("collation"), keep("projection"), str(cmd, "key")
	if h := cmd.Lookup("hint"); h.Type == bson.TypeString || (h.Type == bson.TypeEmbeddedDocument && len(h.Value) <= maxCommandBytes) {
		o.Hint = h
	}
	if _, ok := cmd.Lookup("$truncated").StringValueOK(); ok {
		o.TooLargeToReplay, o.Filter, o.Sort, o.Pipeline = true, nil, nil, nil
	}
	o.Refuse = refusal(d, cmd, mongos)
	return o
}

func opidText(v bson.RawValue) string {
	switch v.Type {
	case bson.TypeInt32:
		return fmt.Sprint(v.Int32())
	case bson.TypeInt64:
		return fmt.Sprint(v.Int64())
	case bson.TypeDouble:
		return fmt.Sprint(int64(v.Double()))
	case bson.TypeString:
		return v.StringValue()
	}
	return ""
}

// refusal says why an operation must not be stopped from here.
func refusal(d, cmd bson.Raw, mongos bool) string {
	desc, msg, ns, app := str(d, "desc"), str(d, "msg"), str(d, "ns"), str(d, "appName")
	_, building := cmd.Lookup("createIndexes").StringValueOK()
	switch {
	case building || strings.HasPrefix(desc, "IndexBuilds") || strings.Contains(msg, "Index Build"):
		return "an index build: killOp does not abort it cleanly; drop the index being built instead (dropIndexes)"
	case ns == "local.oplog.rs" || strings.HasPrefix(app, "OplogFetcher") || strings.HasPrefix(desc, "rsSync") ||
		strings.HasPrefix(desc, "ReplBatcher") || strings.HasPrefix(desc, "repl") || strings.HasPrefix(desc, "OplogApplier"):
		return "replication: stopping it makes the secondaries fall behind"
	case str(d, "client") == "" && str(d, "client_s") == "":
		return "an internal operation of the server"
	case boolean(d, "cursor", "tailable"):
		return "a change stream or tailable cursor: it waits, it does not work"
	case mongos && isWrite(d, cmd):
		return "a write through mongos: killOp here does not reach the shards; stop it on each shard's primary"
	}
	return ""
}

func isWrite(d, cmd bson.Raw) bool {
	switch str(d, "op") {
	case "insert", "update", "remove", "delete":
		return true
	}
	for _, k := range []string{"insert", "update", "delete", "findAndModify"} {
		if _, ok := cmd.Lookup(k).StringValueOK(); ok {
			return true
		}
	}
	return false
}

// Operations lists the selection's active operations on the target, each
// with whether it may be stopped. It is what `k` shows before asking.
func (a *Actions) Operations(ctx context.Context, sel Selection) ([]Op, Target, error) {
	t, done, err := a.begin()
	if err != nil {
		return nil, t, err
	}
	defer done()
	ops, err := a.operations(ctx, t, sel)
	return ops, t, err
}

func (a *Actions) operations(ctx context.Context, t Target, sel Selection) ([]Op, error) {
	if strings.TrimSpace(sel.App) == "" {
		return nil, &ActionError{Step: "$currentOp", Reason: "no app selected"}
	}
	reply, err := a.command(ctx, t, "admin", opsCommand(sel, a.src.cfg.AppName, t.Mongos))
	if err != nil {
		return nil, classifyAction("$currentOp", t, err)
	}
	var ops []Op
	for _, d := range firstBatch(reply) {
		ops = append(ops, parseOp(d, t.Mongos))
	}
	return ops, nil
}
