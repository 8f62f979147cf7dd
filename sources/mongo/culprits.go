package mongo

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// The culprit tables answer "who, what, which collection" once an alert
// says something is wrong. They cost the server more than serverStatus, so:
// they run on one member only (the mongos, else the primary, else the one
// server watched), after its serverStatus and on the same connection, so
// there is never more than one of these commands in flight per member;
// each carries maxTimeMS (from its context: see aggregate) so a struggling
// server gives up on it rather than queueing it; $currentOp and top run only while WantCulprits says so; and
// a command the server refuses is backed off, not retried every poll.
const (
	culpritMaxTime   = time.Second            // the deadline, and so the maxTimeMS, of every culprit command
	culpritMinBudget = 300 * time.Millisecond // do not start a command with less left
	collStepsPerPoll = 2                      // list or stats commands per poll
	refusedRetry     = 10 * time.Minute       // after Unauthorized: maybe a role was granted
	missingRetry     = 30 * time.Minute       // after CommandNotFound: maybe an upgrade
)

// Notes the tables show; the permission one is what the on-call engineer
// needs to tell the DBA.
const (
	noteInprog     = "needs the inprog privilege: grant the clusterMonitor role"
	noteNotWanted  = "read while an alert is pending or firing"
	noteFirstRates = "rates from the second read"
	noteNoMember   = "no primary or mongos to ask"
)

type stepKind int

const (
	stepClients stepKind = iota
	stepSlow
	stepTop
	stepListDBs
	stepListColls
	stepCollStats
	stepShapes // the query-shape profiler's $currentOp sample (shapes.go)
	stepLog    // getLog "global" for the slow queries (shapes.go)
)

// step is one command for the culprit member; db "" is admin.
type step struct {
	kind     stepKind
	db, coll string
	cmd      bson.D
	cur      *mdriver.Cursor // listCollections: the listing to go on with
}

type stepResult struct {
	step
	reply bson.Raw
	names []string // listCollections
	err   error
	at    time.Time
	took  time.Duration   // the round trip, wall time
	more  *mdriver.Cursor // listCollections: the rest of the listing
}

// job is one table's schedule and its latest content.
type job struct {
	every time.Duration
	next  time.Time
	fails int
	ran   bool
	slow  slowdown // slow answers widen every (slow.go)
	table sources.Table
}

// culprits is the state of the culprit tables between polls. Poll plans
// the steps, the culprit member's goroutine runs them, and Poll applies the
// results once every member is done, so only run touches the network and
// nothing here is shared with a goroutine while it changes.
type culprits struct {
	addr    string // the member they run on
	steps   []step // this poll's plan
	clients job
	slow    job
	hot     job
	colls   job
	shapeJ  job
	shapes  *shapeProfile
	topPrev *topSample

	// Collection stats, read in slices (see collstats.go).
	firstPoll  time.Time
	reading    bool
	listed     bool
	dbQueue    []string
	nsQueue    []string                   // "db.coll"
	listing    map[string]*mdriver.Cursor // db -> its listCollections, part read
	fresh      map[string]bool
	readCount  int
	legacy     bool // collStats command: no $collStats stage
	refusedDBs int  // databases whose listCollections was refused, this listing
	entries    map[string]*collEntry
	demand     atomic.Bool
}

func newCulprits(cfg Config) *culprits {
	mk := func(name string, cols []sources.Column, every time.Duration, note string) job {
		return job{every: every, table: sources.Table{Name: name, Columns: cols, Highlight: -1, Note: text.Clean(note)}}
	}
	return &culprits{
		clients: mk(tableClients, colsClients, cfg.CulpritInterval, noteNotWanted),
		slow:    mk(tableSlow, colsSlow, cfg.CulpritInterval, noteNotWanted),
		hot:     mk(tableHot, colsHot, cfg.TopInterval, noteNotWanted),
		colls: mk(tableColls, colsColls, cfg.CollStatsInterval,
			fmt.Sprintf("first read %s after start", cfg.CollStatsDelay)),
		entries: map[string]*collEntry{},
		shapeJ:  job{every: cfg.ShapeInterval},
		shapes:  newShapeProfile(cfg.ShapeWindow, cfg.ShapeBaseline),
	}
}

// RefreshCollections asks for a read of the collection stats at the next
// poll, without waiting for CollStatsInterval. Safe to call from any
// goroutine.
func (s *Source) RefreshCollections() { s.cul.demand.Store(true) }

// culpritMember is the member the culprit commands go to: the first
// mongos (it sees the whole cluster), else the primary, else a standalone
// or the one server of a direct connection. Never a secondary of a set
// with a primary: its clients are not the ones hurting the primary.
func (s *Source) culpritMember() *member {
	var pick *member
	for _, addr := range s.order {
		m := s.members[addr]
		ok := m.role == roleMongos || m.role == rolePrimary || m.role == roleStandalone || (s.direct && m.pollable())
		if !ok {
			continue
		}
		if m.lastErr == nil {
			return m
		}
		if pick == nil {
			pick = m
		}
	}
	return pick
}

// planCulprits decides this poll's culprit commands.
func (s *Source) planCulprits(now time.Time) {
	c := s.cul
	c.steps = nil
	if c.firstPoll.IsZero() {
		c.firstPoll = now
		c.colls.next = now.Add(s.cfg.CollStatsDelay)
	}
	m := s.culpritMember()
	if m == nil {
		c.addr = ""
		return
	}
	if m.addr != c.addr {
		// Another server: its top counters are its own, and it may
		// have the commands the last one lacked.
		c.addr, c.topPrev, c.listing = m.addr, nil, nil
		for _, j := range []*job{&c.clients, &c.slow, &c.hot, &c.colls} {
			if j.fails > 0 {
				j.next, j.fails = time.Time{}, 0
			}
		}
	}
	want := s.cfg.WantCulprits == nil || s.cfg.WantCulprits()
	if want && s.cfg.CulpritInterval > 0 && !now.Before(c.clients.next) {
		c.steps = append(c.steps,
			step{kind: stepClients, cmd: clientsCommand(s.cfg.AppName, m.role == roleMongos)},
			step{kind: stepSlow, cmd: slowCommand(s.cfg.AppName)})
	}
	c.steps = append(c.steps, s.planShapes(now, m, want)...)
	if want && s.cfg.TopInterval > 0 && m.role != roleMongos && !now.Before(c.hot.next) {
		c.steps = append(c.steps, step{kind: stepTop, cmd: topCommand()})
	}
	if s.cfg.CollStatsInterval > 0 {
		mongoDB := m.process == "" || m.process == "mongod" || m.process == "mongos"
		c.steps = append(c.steps, c.planColls(now, s.cfg.MaxCollections, mongoDB)...)
	}
}

// runSteps runs the plan in order on the culprit member's connection. It
// stops early when the poll's time is nearly up or the server did not
// answer in time: a busy server gets no more of these this poll.
func runSteps(ctx context.Context, c *mdriver.Client, steps []step, now func() time.Time) []stepResult {
	var out []stepResult
	clientsFailed := false
	for _, st := range steps {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < culpritMinBudget {
			break
		}
		if st.kind == stepSlow && clientsFailed {
			continue // same privilege, same server: it would fail alike
		}
		r := stepResult{step: st}
		sctx, cancel := context.WithTimeout(ctx, culpritMaxTime)
		start := time.Now()
		if st.kind == stepListColls {
			r.names, r.more, r.err = listPage(sctx, c, st.db, st.cmd, st.cur)
		} else {
			r.reply, r.err = runIn(sctx, c, st.db, st.cmd)
		}
		cancel()
		r.at, r.took = now(), time.Since(start)
		out = append(out, r)
		if r.err != nil && failureOf(r.err) == failBusy {
			break
		}
		clientsFailed = clientsFailed || (st.kind == stepClients && r.err != nil)
	}
	return out
}

// runIn is run on any database; primaryPreferred lets a directly watched
// secondary answer.
func runIn(ctx context.Context, c *mdriver.Client, db string, cmd bson.D) (bson.Raw, error) {
	if db == "" {
		db = "admin"
	}
	return c.Database(db).RunCommand(ctx, cmd, mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred())).Raw()
}

// listPage reads one page (listPageSize names) of a listCollections: the
// first, or the next one from cur, which an earlier poll left open. A
// deployment with 10,000 collections is listed over several polls, never
// in one go; the cursor is closed once it is read to the end. It returns
// the cursor to go on from, nil when the listing is done.
func listPage(ctx context.Context, c *mdriver.Client, db string, cmd bson.D, cur *mdriver.Cursor) ([]string, *mdriver.Cursor, error) {
	var names []string
	add := func() {
		if n, ok := cur.Current.Lookup("name").StringValueOK(); ok {
			names = append(names, n)
		}
	}
	if cur == nil {
		var err error
		cur, err = c.Database(db).RunCommandCursor(ctx, cmd, mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred()))
		if err != nil {
			return nil, nil, err
		}
		cur.SetBatchSize(listPageSize)
	} else if cur.Next(ctx) { // getMore: the next page
		add()
	} else {
		err := cur.Err()
		cur.Close(ctx)
		return nil, nil, err
	}
	for cur.RemainingBatchLength() > 0 && cur.Next(ctx) {
		add()
	}
	if err := cur.Err(); err != nil || cur.ID() == 0 {
		cur.Close(ctx)
		return names, nil, err
	}
	return names, cur, nil
}

const codeNamespaceNotFound = 26

type failure int

const (
	failOther failure = iota
	failRefused
	failMissing
	failBusy
)

// missingCodes say the server has no such command, stage or option:
// CommandNotFound, CommandNotSupported, an unknown pipeline stage or
// operator, or a parse failure of the stage (FerretDB's answer to
// $currentOp).
var missingCodes = []int{codeCommandNotFound, 115, 40324, 168, 9, 40415}

func failureOf(err error) failure {
	switch {
	case HasCode(err, codeUnauthorized):
		return failRefused
	case HasCode(err, 50) || mdriver.IsTimeout(err) || errors.Is(err, context.DeadlineExceeded):
		return failBusy // MaxTimeMSExpired, or no reply in time
	}
	for _, code := range missingCodes {
		if HasCode(err, code) {
			return failMissing
		}
	}
	return failOther
}

// fail records a failed command in the job's table and schedules the next
// try: much later for a refusal or a missing command, else backed off from
// the interval. A busy server keeps the last rows on show.
func (s *Source) fail(j *job, now time.Time, cmd, refusedNote string, err error) {
	j.fails++
	j.ran = true
	switch failureOf(err) {
	case failRefused:
		j.table.Rows, j.table.Highlight = nil, -1
		j.table.Note = text.Clean(refusedNote)
		j.next = now.Add(refusedRetry)
	case failMissing:
		j.table.Rows, j.table.Highlight = nil, -1
		j.table.Note = text.Clean("not available on this server (" + s.serverName() + ")")
		j.next = now.Add(missingRetry)
	default:
		wait := j.every
		for i := 0; i < j.fails && wait < maxBackoff; i++ {
			wait *= 2
		}
		wait = min(wait, max(maxBackoff, j.every))
		j.next = now.Add(wait)
		why := classify(cmd, err).Error()
		if failureOf(err) == failBusy {
			why = fmt.Sprintf("%s: no reply within %s (server busy)", cmd, culpritMaxTime)
		}
		if len(j.table.Rows) > 0 {
			why += "; showing the last reply"
		}
		j.table.Note = text.Clean(fmt.Sprintf("%s; next try in %s", why, wait.Round(time.Second)))
	}
}

func (j *job) ok(now time.Time, t sources.Table) {
	j.ran, j.fails = true, 0
	j.next = now.Add(j.slow.every(j.every))
	j.table = t
}

// serverName is the culprit member's version as notes show it, with the
// process name when it is not MongoDB's own ("ferretdb 7.0.42").
func (s *Source) serverName() string {
	m := s.members[s.cul.addr]
	if m == nil || m.version == "" {
		return "version unknown"
	}
	if m.process != "" && m.process != "mongod" && m.process != "mongos" {
		return m.process + " " + m.version
	}
	return m.version
}
