package mongo

import (
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// queryShape is what groups operations that are "the same query": the
// namespace, the command, the filter and sort with every value replaced by
// "?" ({camera_id: ?, ts: {$gte: ?}}), the plan and the app. Two finds
// that differ only in the camera they ask for have one shape.
type queryShape struct {
	NS, Cmd      string
	Filter, Sort string // normalised; "" when the command has none
	Plan, App    string
}

// Text is the shape as the panel and the verdict say it:
// "cctv.events find {camera_id: ?, ts: {$gte: ?}} sort {ts: -1}".
func (q queryShape) Text() string {
	s := q.NS + " " + q.Cmd
	if q.Filter != "" {
		s += " " + q.Filter
	}
	if q.Sort != "" {
		s += " sort " + q.Sort
	}
	return s
}

// Key groups samples: the text, the plan family (COLLSCAN, IXSCAN, ...)
// and the app, so the same query from two apps, or once scanning and once
// indexed, are told apart.
func (q queryShape) Key() string { return q.Text() + "\x00" + planFamily(q.Plan) + "\x00" + q.App }

// planFamily is a plan summary without its index keys: "IXSCAN { a: 1 }"
// and "IXSCAN { b: 1 }" are both IXSCAN for grouping, the summary itself
// is shown.
func planFamily(p string) string {
	f, _, _ := strings.Cut(p, " ")
	return f
}

// opCommands names the command of a legacy currentOp "op" when the
// command document does not start with one.
var opCommands = map[string]string{"query": "find", "getmore": "getMore", "insert": "insert",
	"update": "update", "remove": "delete", "killcursors": "killCursors"}

// shapeOf reads the shape of one operation: a currentOp document (command,
// originatingCommand, op, ns, planSummary, appName) or the attr of a
// structured "Slow query" log line (command, originatingCommand, type, ns,
// planSummary, appName), which use the same names.
func shapeOf(d bson.Raw) queryShape {
	q := queryShape{NS: str(d, "ns"), Plan: str(d, "planSummary"), App: str(d, "appName")}
	cmd, _ := d.Lookup("command").DocumentOK()
	orig, _ := d.Lookup("originatingCommand").DocumentOK()
	op := str(d, "op")
	if op == "" {
		op = str(d, "type") // a slow-log line
	}
	q.Cmd = str(d, "cmd") // the shapes pipeline projects the command's name
	switch op {
	case "update", "remove", "insert":
		// The command is one statement ({q, u, multi}), not a command.
		q.Cmd = opCommands[op]
	}
	if q.Cmd == "" {
		if first, err := cmd.IndexErr(0); err == nil && !strings.HasPrefix(first.Key(), "$") {
			q.Cmd = first.Key()
		}
	}
	if q.Cmd == "" {
		if c, ok := opCommands[op]; ok {
			op = c
		}
		q.Cmd = op
	}
	// A getMore's filter is its cursor's: the find or aggregate that
	// opened it.
	src := cmd
	if q.Cmd == "getMore" && len(orig) > 0 {
		src = orig
	}
	filter, sortDoc := filterOf(src)
	if filter != nil {
		q.Filter = normalise(filter, false)
	}
	if sortDoc != nil {
		q.Sort = normalise(sortDoc, true)
	}
	return q
}

// filterOf finds the filter and sort of a command: find's filter, count's
// query, an update or delete statement's q, an aggregate's leading $match.
func filterOf(cmd bson.Raw) (filter, sortDoc bson.Raw) {
	for _, k := range []string{"filter", "query", "q"} {
		if f, ok := cmd.Lookup(k).DocumentOK(); ok {
			filter = f
			break
		}
	}
	for _, k := range []string{"sort", "orderby"} {
		if s, ok := cmd.Lookup(k).DocumentOK(); ok {
			sortDoc = s
			break
		}
	}
	if filter == nil {
		if arr, ok := cmd.Lookup("pipeline").ArrayOK(); ok {
			if first, err := arr.IndexErr(0); err == nil {
				if stage, ok := first.DocumentOK(); ok {
					filter, _ = stage.Lookup("$match").DocumentOK()
				}
			}
		}
	}
	return filter, sortDoc
}

// normalise writes a filter with its values replaced by "?": field names
// and operators stay, so {camera_id: 7, ts: {$gte: ISODate(...)}} becomes
// {camera_id: ?, ts: {$gte: ?}}. A literal sub-document (an equality on a
// whole document) is one value; the branches of $and, $or and $nor are
// filters of their own; the values of $in and $nin are one "[?]". keep
// keeps the values (a sort's 1 and -1 are shape).
func normalise(doc bson.Raw, keep bool) string {
	return normaliseAt(doc, keep, 0)
}

// maxShapeDepth bounds the recursion on a hostile or absurd filter.
const maxShapeDepth = 8

func normaliseAt(doc bson.Raw, keep bool, depth int) string {
	elems, err := doc.Elements()
	if err != nil || depth > maxShapeDepth {
		return "{?}"
	}
	parts := make([]string, 0, len(elems))
	for _, e := range elems {
		parts = append(parts, e.Key()+": "+normalValue(e.Key(), e.Value(), keep, depth+1))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func normalValue(key string, v bson.RawValue, keep bool, depth int) string {
	switch v.Type {
	case bson.TypeEmbeddedDocument:
		d := v.Document()
		if keep || isOperators(d) || key == "$elemMatch" || key == "$not" {
			return normaliseAt(d, keep, depth)
		}
		return "?" // {_id: {id: UUID, uid: Binary}} is one value
	case bson.TypeArray:
		switch key {
		case "$and", "$or", "$nor":
			vals, err := v.Array().Values()
			if err != nil {
				return "[?]"
			}
			seen := map[string]bool{}
			var parts []string
			for _, x := range vals {
				b, ok := x.DocumentOK()
				if !ok {
					continue
				}
				if s := normaliseAt(b, keep, depth); !seen[s] {
					seen[s] = true
					parts = append(parts, s)
				}
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		if strings.HasPrefix(key, "$") {
			return "[?]"
		}
		return "?" // equality on a whole array
	}
	if keep {
		if f, ok := v.AsFloat64OK(); ok {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		if s, ok := v.StringValueOK(); ok {
			return strconv.Quote(s) // {$meta: "textScore"}
		}
	}
	return "?"
}

// isOperators reports whether a document's keys are query operators
// ({$gte: ..., $lt: ...}), as opposed to a literal value.
func isOperators(d bson.Raw) bool {
	first, err := d.IndexErr(0)
	return err == nil && strings.HasPrefix(first.Key(), "$")
}
