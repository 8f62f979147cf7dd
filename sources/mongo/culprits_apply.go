package mongo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	mdriver "go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// applyCulprits folds this poll's culprit replies into the tables and
// returns all four, so the engine always has the latest of each.
func (s *Source) applyCulprits(now time.Time, results []memberResult) []sources.Table {
	c := s.cul
	var rs []stepResult
	for _, r := range results {
		if r.m.addr == c.addr {
			rs = r.culprit
		}
	}
	var clientsErr error
	slowDone := false
	for _, r := range rs {
		switch r.kind {
		case stepClients:
			c.clients.slow.observe(r.took, culpritMaxTime)
			if r.err != nil {
				clientsErr = r.err
				s.fail(&c.clients, now, "$currentOp", noteInprog, r.err)
				continue
			}
			var groups []clientGroup
			var tot clientTotals
			if b := firstBatch(r.reply); len(b) > 0 {
				groups, tot = parseClients(b[0])
			}
			c.clients.ok(now, clientsTable(groups, tot))
		case stepSlow:
			slowDone = true
			c.slow.slow = c.clients.slow // the same $currentOp, one pace
			if r.err != nil {
				s.fail(&c.slow, now, "$currentOp", noteInprog, r.err)
				continue
			}
			var ops []slowOp
			for _, d := range firstBatch(r.reply) {
				ops = append(ops, parseSlowOp(d))
			}
			c.slow.ok(now, slowTable(ops))
		case stepTop:
			s.applyTop(now, r)
		case stepShapes, stepLog:
			s.applyShapes(now, r)
		default:
			s.applyColls(now, r)
		}
	}
	if clientsErr != nil && !slowDone {
		s.fail(&c.slow, now, "$currentOp", noteInprog, clientsErr)
	}
	c.endRead(now, s.cfg.MaxCollections)
	if c.addr == "" {
		for _, j := range []*job{&c.clients, &c.slow, &c.hot} {
			j.table.Note = text.Clean(noteNoMember)
		}
	} else if m := s.members[c.addr]; m != nil && m.role == roleMongos {
		c.hot.table.Rows, c.hot.table.Note = nil, text.Clean("not available through mongos (top is per mongod)")
	}
	var out []sources.Table
	if s.cfg.CulpritInterval > 0 {
		out = append(out, c.clients.table, c.slow.table)
	}
	if s.cfg.TopInterval > 0 {
		out = append(out, c.hot.table)
	}
	if s.cfg.ShapeInterval > 0 {
		out = append(out, c.shapes.table(now))
	}
	if s.cfg.CollStatsInterval > 0 {
		out = append(out, c.colls.table)
	}
	return out
}

// applyTop turns two consecutive top replies into lock time per second.
// A previous read older than three intervals (the tables were not wanted
// for a while) would average over minutes, so it starts over instead.
//
// top has no filter: its reply grows by ~350 bytes per namespace the
// server has touched, so on a server with thousands of collections each
// read is megabytes. Past largeTop the interval stretches with the size.
func (s *Source) applyTop(now time.Time, r stepResult) {
	c := s.cul
	if r.err != nil {
		s.fail(&c.hot, now, "top", "needs the top privilege: grant the clusterMonitor role", r.err)
		return
	}
	c.hot.slow.observe(r.took, culpritMaxTime)
	cur := topSample{At: r.at, Totals: parseTop(r.reply)}
	gap := c.hot.slow.every(c.hot.every) * time.Duration(min(1+len(r.reply)/largeTop, 6))
	p := c.topPrev
	if p != nil && cur.At.Sub(p.At) <= 3*gap {
		c.hot.ok(now, hotTable(hotCollections(*p, cur)))
	} else {
		t := sources.Table{Name: tableHot, Columns: c.hot.table.Columns, Highlight: -1, Note: text.Clean(noteFirstRates)}
		c.hot.ok(now, t)
		gap /= 2 // the first rates sooner
	}
	c.hot.next = now.Add(gap)
	if gap > c.hot.every {
		c.hot.table.Note = text.Clean(fmt.Sprintf("top sends %s per read here (%d namespaces): read every %s", human.Bytes(float64(len(r.reply))), len(cur.Totals), gap))
	}
	c.topPrev = &cur
}

// largeTop is the top reply size past which it is read less often.
const largeTop = 1 << 20

// planColls is this poll's share of a collection-stats read.
func (c *culprits) planColls(now time.Time, maxN int, trim bool) []step {
	if !c.reading {
		demand := c.demand.Swap(false)
		if !demand && now.Before(c.colls.next) {
			return nil
		}
		c.reading, c.readCount = true, 0
		if len(c.nsQueue) == 0 {
			c.listed, c.dbQueue, c.fresh = false, nil, map[string]bool{}
		}
	}
	if !c.listed {
		return []step{{kind: stepListDBs, cmd: listDatabasesCommand()}}
	}
	var steps []step
	for _, db := range c.dbQueue {
		if len(steps) == collStepsPerPoll {
			return steps
		}
		steps = append(steps, step{kind: stepListColls, db: db, cmd: listCollectionsCommand(), cur: c.listing[db]})
	}
	for _, ns := range c.nsQueue {
		if len(steps) == collStepsPerPoll || c.readCount+len(steps) >= maxN {
			break
		}
		db, coll, _ := strings.Cut(ns, ".")
		cmd := collStatsCommand(coll, trim)
		if c.legacy {
			cmd = collStatsLegacy(coll)
		}
		steps = append(steps, step{kind: stepCollStats, db: db, coll: coll, cmd: cmd})
	}
	return steps
}

// maxQueued bounds the namespaces remembered from one listing.
const maxQueued = 20_000

func (s *Source) applyColls(now time.Time, r stepResult) {
	switch r.kind {
	case stepListDBs:
		s.applyListDBs(now, r)
	case stepListColls:
		s.applyListColls(now, r)
	case stepCollStats:
		s.cul.applyCollStats(r)
	}
}

func (s *Source) applyListDBs(now time.Time, r stepResult) {
	c := s.cul
	if r.err != nil {
		c.reading = false
		s.fail(&c.colls, now, "listDatabases", "needs the listDatabases privilege: grant the clusterMonitor role", r.err)
		return
	}
	// A new listing: a page left open by an earlier one (a read that
	// failed half-way) is left to the server's cursor timeout.
	c.dbQueue, c.listing = nil, nil
	for _, d := range docs(r.reply, "databases") {
		if n := str(d, "name"); n != "" && !systemNS(n+".x") {
			c.dbQueue = append(c.dbQueue, n)
		}
	}
	c.listed, c.refusedDBs = true, 0
}

func (s *Source) applyListColls(now time.Time, r stepResult) {
	c := s.cul
	if r.err != nil && failureOf(r.err) != failRefused {
		c.reading = false
		s.fail(&c.colls, now, "listCollections", "needs the collStats privilege: grant the clusterMonitor role", r.err)
		return
	}
	if r.err != nil {
		c.refusedDBs++
	}
	if r.more != nil { // another page of this database next poll
		if c.listing == nil {
			c.listing = map[string]*mdriver.Cursor{}
		}
		c.listing[r.db] = r.more
	} else {
		delete(c.listing, r.db)
		c.dbQueue = slices.DeleteFunc(c.dbQueue, func(d string) bool { return d == r.db })
	}
	for _, n := range r.names {
		if ns := r.db + "." + n; userNS(r.db, n) && len(c.nsQueue) < maxQueued {
			c.nsQueue = append(c.nsQueue, ns)
			c.fresh[ns] = true
		}
	}
	if len(c.dbQueue) == 0 && c.fresh != nil {
		for ns := range c.entries { // dropped since the last listing
			if !c.fresh[ns] {
				delete(c.entries, ns)
			}
		}
		c.fresh = nil
	}
}

func (c *culprits) applyCollStats(r stepResult) {
	ns := r.db + "." + r.coll
	if r.err != nil {
		switch f := failureOf(r.err); {
		case f == failMissing && !c.legacy:
			c.legacy = true // ask again with the collStats command
			return
		case f != failRefused && !HasCode(r.err, codeNamespaceNotFound):
			// One collection's failure marks its row and the reading goes
			// on: it once blanked the panel and starved every collection
			// after it, read after read.
			e := c.entry(ns)
			e.Failed = "stats failed"
			if f == failBusy {
				e.Failed = "stats timed out"
			}
		} // refused or dropped: skip it
	} else if st, ok := parseCollStats(r.reply, r.at); ok {
		c.entry(ns).record(st)
	}
	c.nsQueue = slices.DeleteFunc(c.nsQueue, func(q string) bool { return q == ns })
	c.readCount++
	t := collsTable(c.entryList())
	t.Note = text.Clean(fmt.Sprintf("reading: %d collections so far", c.readCount))
	c.colls.table = t
}

// entry is ns's row, made on first use.
func (c *culprits) entry(ns string) *collEntry {
	e := c.entries[ns]
	if e == nil {
		e = &collEntry{NS: ns}
		c.entries[ns] = e
	}
	return e
}

// endRead closes a read once its listing is done and it has read its
// share of the queue (or the queue is empty).
func (c *culprits) endRead(now time.Time, maxN int) {
	if !c.reading || !c.listed || len(c.dbQueue) > 0 || (len(c.nsQueue) > 0 && c.readCount < maxN) {
		return
	}
	c.reading = false
	t := collsTable(c.entryList())
	switch {
	case len(c.entries) == 0:
		t.Note = text.Clean("no collections")
	case len(c.nsQueue) > 0:
		t.Note = text.Clean(fmt.Sprintf("%d collections read; %d more over the next reads", len(c.entries), len(c.nsQueue)))
	}
	if c.refusedDBs > 0 {
		t.Note = text.Clean(strings.TrimPrefix(t.Note.String()+fmt.Sprintf("; listCollections refused on %d databases (needs the listCollections action)", c.refusedDBs), "; "))
	}
	c.colls.ok(now, t)
}

func (c *culprits) entryList() []*collEntry {
	out := make([]*collEntry, 0, len(c.entries))
	for _, e := range c.entries {
		if e.Cur != nil || e.Failed != "" {
			out = append(out, e)
		}
	}
	return out
}
