package mongo

import (
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// topCommand is mongotop's source: cumulative lock time and counts per
// namespace since the server started. The reply has one entry per
// namespace the server has touched (about 400 bytes each), which is why it
// runs on a slow interval and only while the culprits are wanted.
func topCommand() bson.D {
	return bson.D{{Key: "top", Value: 1}}
}

// topNS is one namespace's counters: times in microseconds.
type topNS struct {
	ReadUs, ReadN, WriteUs, WriteN float64
}

// topSample is one top reply and when it was read.
type topSample struct {
	At     time.Time
	Totals map[string]topNS
}

// parseTop reads totals.<ns>.readLock/writeLock.{time,count}; "note" and
// anything that is not a namespace document are skipped.
func parseTop(doc bson.Raw) map[string]topNS {
	totals, ok := doc.Lookup("totals").DocumentOK()
	if !ok {
		return nil
	}
	elems, err := totals.Elements()
	if err != nil {
		return nil
	}
	out := map[string]topNS{}
	for _, e := range elems {
		d, ok := e.Value().DocumentOK()
		if !ok {
			continue
		}
		out[e.Key()] = topNS{
			ReadUs: num(d, "readLock", "time").V, ReadN: num(d, "readLock", "count").V,
			WriteUs: num(d, "writeLock", "time").V, WriteN: num(d, "writeLock", "count").V,
		}
	}
	return out
}

// hotNS is one namespace's share of the server's time between two reads.
type hotNS struct {
	NS              string
	ReadMs, WriteMs float64 // milliseconds of lock time per second
}

// hotCollections is mongotop's view: the lock time each namespace took
// per second between two top replies, busiest first. A namespace new in
// cur, or whose counters went down (a restart, a drop and re-create) gives
// no row rather than a made-up one; so does no time elapsed.
func hotCollections(prev, cur topSample) []hotNS {
	dt := cur.At.Sub(prev.At).Seconds()
	if dt <= 0 {
		return nil
	}
	var out []hotNS
	for ns, c := range cur.Totals {
		p, ok := prev.Totals[ns]
		if !ok || systemNS(ns) {
			continue
		}
		r, w := c.ReadUs-p.ReadUs, c.WriteUs-p.WriteUs
		if r < 0 || w < 0 || c.ReadN < p.ReadN || c.WriteN < p.WriteN || r+w == 0 {
			continue
		}
		out = append(out, hotNS{NS: ns, ReadMs: r / 1000 / dt, WriteMs: w / 1000 / dt})
	}
	slices.SortFunc(out, func(a, b hotNS) int {
		if d := (b.ReadMs + b.WriteMs) - (a.ReadMs + a.WriteMs); d != 0 {
			if d > 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(a.NS, b.NS)
	})
	return out
}

// hotTable shows the busiest namespaces and marks the first when it took
// more than half of all the lock time.
func hotTable(rows []hotNS) sources.Table {
	t := sources.Table{Name: tableHot, Columns: colsHot, Highlight: -1}
	var total float64
	for _, r := range rows {
		total += r.ReadMs + r.WriteMs
	}
	for i, r := range rows {
		if i == rowLimit {
			break
		}
		t.Rows = append(t.Rows, sources.R(sources.Str(r.NS), sources.Num(r.ReadMs), sources.Num(r.WriteMs)))
	}
	if len(rows) > 0 && total > 0 && (rows[0].ReadMs+rows[0].WriteMs)/total > 0.5 {
		t.Highlight = 0
	}
	if len(rows) == 0 {
		t.Note = text.Clean("no collection activity between the last two reads")
	}
	return t
}

// systemNS: the internal databases and system collections, whose activity
// (the oplog mirrors every write) says nothing about who is to blame.
func systemNS(ns string) bool {
	db, coll, _ := strings.Cut(ns, ".")
	switch db {
	case "admin", "local", "config":
		return true
	}
	return coll == "" || strings.HasPrefix(coll, "system.")
}
