package mongo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// page cuts a listCollections reply to the cursor's batchSize, as a server
// does, and keeps the rest for getMore.
func (c *culpritMongod) page(body bson.Raw, reply bson.D) bson.D {
	cur := reply[0].Value.(bson.D)
	ns := cur[1].Value.(string)
	all := cur[2].Value.(bson.A)
	size := len(all)
	if n, ok := body.Lookup("cursor", "batchSize").AsInt64OK(); ok && n > 0 {
		size = min(size, int(n))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxBatch = max(c.maxBatch, size)
	id := int64(0)
	if size < len(all) {
		if c.cursors == nil {
			c.cursors = map[int64][]any{}
		}
		id = int64(len(c.cursors) + 1)
		c.cursors[id] = all[size:]
	}
	return bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: id}, {Key: "ns", Value: ns}, {Key: "firstBatch", Value: all[:size]}}}}
}

func (c *culpritMongod) getMore(body bson.Raw) (bson.D, error) {
	id := body.Lookup("getMore").Int64()
	n, _ := body.Lookup("batchSize").AsInt64OK() // the driver sends none unless asked
	size := int(n)
	c.mu.Lock()
	defer c.mu.Unlock()
	rest, ok := c.cursors[id]
	if !ok {
		return nil, fmt.Errorf("cursor %d not found", id)
	}
	if size <= 0 || size > len(rest) {
		size = len(rest)
	}
	c.maxBatch = max(c.maxBatch, size)
	next := id
	if size == len(rest) {
		delete(c.cursors, id)
		next = 0
	} else {
		c.cursors[id] = rest[size:]
	}
	return bson.D{{Key: "cursor", Value: bson.D{{Key: "id", Value: next}, {Key: "ns", Value: str(body, "$db") + "." + str(body, "collection")},
		{Key: "nextBatch", Value: bson.A(rest[:size])}}}}, nil
}

// Issue 17: with 10,000 collections the largest-collections read lists
// them a page of 1,000 at a time (never all in one reply) and stays within
// its bound per minute: one read every CollStatsInterval (5 min) of one
// listDatabases, ten listCollections/getMore pages and 50 $collStats.
func TestTenThousandCollectionsAreListedInPagesAndReadWithinABound(t *testing.T) {
	c := newCulpritMongod()
	calm(t, c)
	for i := range 10_000 {
		size := float64(i * 1000)
		c.colls[fmt.Sprintf("shop.c%05d", i)] = func() collStat { return collStat{Count: size / 100, Size: size, Storage: size} }
	}
	srv := c.start(t)
	clk := newTestClock()
	s := culpritSource(t, "mongodb://"+srv.Addr(), clk, func(cfg *Config) {
		cfg.CulpritInterval, cfg.TopInterval, cfg.CollStatsInterval, cfg.CollStatsDelay = -1, -1, 0, time.Millisecond
	})
	reqs := func() int {
		return srv.Requests("listDatabases") + srv.Requests("listCollections") + srv.Requests("getMore") + srv.Requests("aggregate")
	}
	const bound = 1 + 10 + 50
	worst, last, perPoll := 0, reqs(), 0
	var res = mustPoll(t, s)
	for minute := 0; minute < 12; minute++ {
		for range 60 {
			clk.Advance(time.Second)
			before := reqs()
			res = mustPoll(t, s)
			perPoll = max(perPoll, reqs()-before)
		}
		n := reqs()
		worst, last = max(worst, n-last), n
	}
	if worst > bound {
		t.Errorf("the collection read sent %d commands in one minute, want at most %d", worst, bound)
	}
	if perPoll > collStepsPerPoll {
		t.Errorf("one poll sent %d collection-read commands (the whole listing at once?), want at most %d", perPoll, collStepsPerPoll)
	}
	if c.maxBatch > listPageSize {
		t.Errorf("one reply listed %d collections, want at most %d", c.maxBatch, listPageSize)
	}
	if got := srv.Requests("aggregate"); got != 150 {
		t.Errorf("%d $collStats in 12 minutes, want 150 (three reads of 50, 5 min apart)", got)
	}
	if got := srv.Requests("getMore"); got != 9 {
		t.Errorf("%d getMore, want 9 (the listing once, in 10 pages)", got)
	}
	tbl := mustTable(t, res, tableColls)
	if rows := plainRows(tbl); len(rows) == 0 || rows[0][0] != "shop.c00149" || !strings.Contains(tbl.Note.String(), "150 collections read; 9850 more") {
		t.Errorf("table after three reads: note %q, first row %v", tbl.Note, rows[:min(1, len(rows))])
	}
	t.Logf("worst minute: %d commands (bound %d); largest reply %d names; %d listCollections + %d getMore in all",
		worst, bound, c.maxBatch, srv.Requests("listCollections"), srv.Requests("getMore"))
}
