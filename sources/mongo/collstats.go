package mongo

import (
	"math"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources"
)

// Listing every collection of every database and asking each for its
// stats is a real load on a big deployment, so the collection stats are
// read in slices: listDatabases and listCollections (names only, from the
// catalog) build a queue of namespaces, each read takes at most
// MaxCollections of them, and a read is spread over several polls
// (collStepsPerPoll commands each). Stats are kept between reads, so the
// table ranks every collection read so far and the queue is listed again
// only once it has been worked through.

// listPageSize is how many collection names one listCollections or getMore
// returns: a listing of 10,000 collections is ten commands over five polls
// (collStepsPerPoll), never one reply with all of them.
const listPageSize = 1000

func listDatabasesCommand() bson.D {
	return bson.D{{Key: "listDatabases", Value: 1}, {Key: "nameOnly", Value: true}}
}

// listCollectionsCommand asks for plain collections only: views have no
// storage and time-series buckets are reported through their system
// collection. authorizedCollections (4.0+) with nameOnly lets a user
// without the listCollections action (clusterMonitor does not grant it)
// list the collections it holds a privilege on, which for clusterMonitor
// is collStats on every non-system collection.
func listCollectionsCommand() bson.D {
	return bson.D{
		{Key: "listCollections", Value: 1},
		{Key: "nameOnly", Value: true},
		{Key: "authorizedCollections", Value: true},
		{Key: "filter", Value: bson.D{{Key: "type", Value: "collection"}}},
		{Key: "cursor", Value: bson.D{{Key: "batchSize", Value: listPageSize}}},
	}
}

// collStatsCommand is $collStats with storageStats, cut down on the server
// (trim) to the four numbers the table uses: the full storageStats carries
// the WiredTiger statistics of the collection and of each index (30 kB for
// the oplog on 8.0). Contract for scripted servers: cursor.firstBatch holds
// one document per shard (one on a replica set), {ns, storageStats:
// {count, size, storageSize, totalIndexSize}}. trim is only for MongoDB
// itself: FerretDB v1.24 drops the connection on a $project of a document
// without _id.
func collStatsCommand(coll string, trim bool) bson.D {
	pipeline := bson.A{bson.D{{Key: "$collStats", Value: bson.D{{Key: "storageStats", Value: bson.D{}}}}}}
	if trim {
		pipeline = append(pipeline, bson.D{{Key: "$project", Value: bson.D{
			{Key: "ns", Value: 1}, {Key: "storageStats.count", Value: 1}, {Key: "storageStats.size", Value: 1},
			{Key: "storageStats.storageSize", Value: 1}, {Key: "storageStats.totalIndexSize", Value: 1},
		}}})
	}
	return aggregate(coll, pipeline)
}

// collStatsLegacy is for servers without the $collStats stage.
func collStatsLegacy(coll string) bson.D {
	return bson.D{{Key: "collStats", Value: coll}}
}

// collStat is one read of one collection.
type collStat struct {
	Count, Size, Storage float64
	At                   time.Time
}

// parseCollStats reads a $collStats reply (a document per shard, summed)
// or a collStats reply (the numbers at the top level).
func parseCollStats(reply bson.Raw, at time.Time) (collStat, bool) {
	st := collStat{At: at}
	batch := firstBatch(reply)
	if batch == nil {
		c := num(reply, "count")
		st.Count, st.Size, st.Storage = c.V, num(reply, "size").V, num(reply, "storageSize").V
		return st, c.OK
	}
	ok := false
	for _, d := range batch {
		c := num(d, "storageStats", "count")
		ok = ok || c.OK
		st.Count += c.V
		st.Size += num(d, "storageStats", "size").V
		st.Storage += num(d, "storageStats", "storageSize").V
	}
	return st, ok
}

// collEntry is what is known of one collection: its last two reads.
type collEntry struct {
	NS        string
	Cur, Prev *collStat
	// Failed says why the last read of this collection failed ("" when it
	// did not): its row is marked, and the reading goes on with the next.
	Failed string
}

// growthPerHour is the change in document count per hour between the last
// two reads; false when there is no earlier read or they are too close in
// time to say.
func (e collEntry) growthPerHour() (float64, bool) {
	if e.Prev == nil || e.Cur == nil {
		return 0, false
	}
	dt := e.Cur.At.Sub(e.Prev.At)
	if dt < time.Minute {
		return 0, false
	}
	return (e.Cur.Count - e.Prev.Count) / dt.Hours(), true
}

// record adds a read, keeping the previous one for growth. A second read
// within a minute replaces the latest rather than shortening the window.
func (e *collEntry) record(st collStat) {
	if e.Cur != nil && (e.Prev == nil || st.At.Sub(e.Cur.At) >= time.Minute) {
		e.Prev = e.Cur
	}
	e.Cur = &st
	e.Failed = ""
}

// collsTable ranks the collections read so far by data size.
func collsTable(entries []*collEntry) sources.Table {
	t := sources.Table{Name: tableColls, Columns: colsColls, Highlight: -1}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b *collEntry) int {
		if (a.Cur == nil) != (b.Cur == nil) { // never read: last
			if a.Cur == nil {
				return 1
			}
			return -1
		}
		if a.Cur != nil && a.Cur.Size != b.Cur.Size {
			if a.Cur.Size > b.Cur.Size {
				return -1
			}
			return 1
		}
		return strings.Compare(a.NS, b.NS)
	})
	for i, e := range sorted {
		if i == rowLimit {
			break
		}
		name := e.NS
		if e.Failed != "" {
			name += " (" + e.Failed + ")"
		}
		if e.Cur == nil {
			t.Rows = append(t.Rows, sources.R(sources.Str(name), sources.NoValue(), sources.NoValue(), sources.NoValue()))
			continue
		}
		g := sources.NoValue()
		if v, ok := e.growthPerHour(); ok {
			g = sources.Num(math.Round(v))
		}
		t.Rows = append(t.Rows, sources.R(sources.Str(name), sources.Num(e.Cur.Count), sources.Num(e.Cur.Size), g))
	}
	return t
}

// userNS reports whether a listed collection is one to read: not in the
// internal databases and not a system collection.
func userNS(db, coll string) bool {
	return !systemNS(db + "." + coll)
}
