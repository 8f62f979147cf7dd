package mongo

import (
	"cmp"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The culprit pipelines group and filter on the server. No mongod runs
// here (and FerretDB has no $currentOp), so the tests answer them the way
// the pipeline stages do, from currentOp documents: these two functions are
// the server side of the contract documented at clientsCommand and
// slowCommand, written from the stages, not from the parser.

// groupClientsAsServer is clientsCommand's reply document.
func groupClientsAsServer(ops []bson.Raw, self string) bson.D {
	type group struct {
		id                    string
		conns, active         int32
		longest               int64
		anyActive, hasLongest bool
	}
	byKey := map[string]*group{}
	for _, op := range ops {
		client := str(op, "client")
		if client == "" {
			client = str(op, "client_s")
		}
		if _, err := op.LookupErr("client"); err != nil {
			if _, err := op.LookupErr("client_s"); err != nil {
				continue // an internal thread
			}
		}
		if t := str(op, "type"); t == "idleSession" || t == "idleCursor" {
			continue
		}
		if str(op, "appName") == self {
			continue
		}
		key := str(op, "appName")
		if key == "" {
			key = hostOnly(client)
		}
		g := byKey[key]
		if g == nil {
			g = &group{id: key}
			byKey[key] = g
		}
		g.conns++
		if boolean(op, "active") {
			g.active++
			if us, ok := op.Lookup("microsecs_running").AsInt64OK(); ok {
				g.longest, g.hasLongest = max(g.longest, us), true
			}
		}
	}
	var groups []*group
	var conns, active int32
	for _, g := range byKey {
		groups = append(groups, g)
		conns += g.conns
		active += g.active
	}
	slices.SortFunc(groups, func(a, b *group) int {
		return cmp.Or(cmp.Compare(b.active, a.active), cmp.Compare(b.conns, a.conns), cmp.Compare(a.id, b.id))
	})
	top := bson.A{}
	for i, g := range groups {
		if i == rowLimit {
			break
		}
		var longest any // null when nothing is active, as $max of nulls
		if g.hasLongest {
			longest = g.longest
		}
		top = append(top, bson.D{{Key: "_id", Value: g.id}, {Key: "conns", Value: g.conns}, {Key: "active", Value: g.active}, {Key: "longest", Value: longest}})
	}
	all := bson.A{}
	if len(groups) > 0 {
		all = append(all, bson.D{{Key: "_id", Value: nil}, {Key: "conns", Value: conns}, {Key: "active", Value: active}, {Key: "clients", Value: int32(len(groups))}})
	}
	return bson.D{{Key: "top", Value: top}, {Key: "all", Value: all}}
}

// slowOpsAsServer is slowCommand's first batch.
func slowOpsAsServer(ops []bson.Raw, self string) bson.A {
	var keep []bson.Raw
	for _, op := range ops {
		us, _ := op.Lookup("microsecs_running").AsInt64OK()
		if !boolean(op, "active") || us <= 1_000_000 || str(op, "op") == "none" ||
			str(op, "ns") == "local.oplog.rs" || boolean(op, "cursor", "tailable") || str(op, "appName") == self {
			continue
		}
		keep = append(keep, op)
	}
	slices.SortStableFunc(keep, func(a, b bson.Raw) int {
		x, _ := a.Lookup("microsecs_running").AsInt64OK()
		y, _ := b.Lookup("microsecs_running").AsInt64OK()
		return cmp.Compare(y, x)
	})
	out := bson.A{}
	for i, op := range keep {
		if i == rowLimit {
			break
		}
		var d bson.D
		for _, k := range []string{"ns", "op", "planSummary", "microsecs_running", "appName", "client", "client_s", "desc", "msg", "progress"} {
			if v, err := op.LookupErr(k); err == nil {
				d = append(d, bson.E{Key: k, Value: v})
			}
		}
		out = append(out, d)
	}
	return out
}

// inprog is the operations of a recorded currentOp reply.
func inprog(t *testing.T, doc bson.Raw) []bson.Raw {
	t.Helper()
	ops := docs(doc, "inprog")
	if len(ops) == 0 {
		t.Fatal("no inprog in the recorded currentOp")
	}
	return ops
}

func mustRaw(t *testing.T, v any) bson.Raw {
	t.Helper()
	raw, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
