package mongo

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// tableShapes is the "top query shapes" panel: a sampling profiler of the
// database. Every sample of $currentOp counts each active operation once
// under its shape, so a shape's share of the samples is its share of the
// database's active time.
const tableShapes = "top query shapes"

// shapeOpLimit bounds one sample: a server with thousands of active
// operations sends the first 200, which is plenty to rank shapes by.
const shapeOpLimit = 200

// shapesCommand samples the active operations, run on the admin database.
// Contract for scripted servers: cursor.firstBatch holds at most
// shapeOpLimit documents, each
//
//	{opid, ns, op, cmd: <the command's name>, planSummary?, appName?,
//	 microsecs_running, command: {filter?, query?, q?, sort?, pipeline?:
//	 [<first stage>]}, originatingCommand?: {filter?, sort?}}
//
// for active operations other than internal threads, oplog tails, change
// streams and stormwatch's own. Only the parts of the command a shape
// needs travel: an insert of a thousand documents is a few bytes here.
// The $project's "cmd" is what tells this pipeline from the slow-ops one.
func shapesCommand(self string) bson.D {
	cmdName := bson.D{{Key: "$let", Value: bson.D{
		{Key: "vars", Value: bson.D{{Key: "f", Value: bson.D{{Key: "$arrayElemAt", Value: bson.A{
			bson.D{{Key: "$objectToArray", Value: bson.D{{Key: "$ifNull", Value: bson.A{"$command", bson.D{}}}}}}, 0}}}}}},
		{Key: "in", Value: "$$f.k"},
	}}}
	pipeline := bson.A{
		bson.D{{Key: "$currentOp", Value: bson.D{{Key: "allUsers", Value: true}}}},
		bson.D{{Key: "$match", Value: bson.D{
			{Key: "active", Value: true},
			{Key: "op", Value: bson.D{{Key: "$ne", Value: "none"}}},
			{Key: "ns", Value: bson.D{{Key: "$ne", Value: "local.oplog.rs"}}},
			{Key: "cursor.tailable", Value: bson.D{{Key: "$ne", Value: true}}},
			{Key: "appName", Value: bson.D{{Key: "$ne", Value: self}}},
		}}},
		bson.D{{Key: "$limit", Value: shapeOpLimit}},
		bson.D{{Key: "$project", Value: bson.D{
			{Key: "_id", Value: 0}, {Key: "opid", Value: 1}, {Key: "ns", Value: 1}, {Key: "op", Value: 1},
			{Key: "cmd", Value: cmdName}, {Key: "planSummary", Value: 1}, {Key: "appName", Value: 1},
			{Key: "microsecs_running", Value: 1},
			{Key: "command.filter", Value: 1}, {Key: "command.query", Value: 1}, {Key: "command.q", Value: 1},
			{Key: "command.sort", Value: 1},
			{Key: "command.pipeline", Value: bson.D{{Key: "$slice", Value: bson.A{"$command.pipeline", 1}}}},
			{Key: "originatingCommand.filter", Value: 1}, {Key: "originatingCommand.sort", Value: 1},
		}}},
	}
	return aggregate(1, pipeline)
}

// logCommand reads the server's RAM log (4.4+: structured lines).
func logCommand() bson.D { return bson.D{{Key: "getLog", Value: "global"}} }

// shapeStat is one shape in one sample.
type shapeStat struct {
	n       int
	longest float64 // seconds
}

// shapeSample is one $currentOp sample: active operations per shape key.
type shapeSample struct {
	at    time.Time
	total int
	by    map[string]shapeStat
	opids map[string][]int64
}

// shapeProfile is the profiler's memory: the samples of the last
// window+baseline, what each shape is, and the slow-query log's lines
// per shape over the same time.
type shapeProfile struct {
	window, baseline time.Duration
	samples          []shapeSample
	shapes           map[string]queryShape
	slow             []slowEntry
	log              logCursor
	logNote          string
	note             string // why the table is empty or stale
	logged           bool   // getLog answered at least once
	logRetry         time.Time
}

func newShapeProfile(window, baseline time.Duration) *shapeProfile {
	return &shapeProfile{window: window, baseline: baseline, shapes: map[string]queryShape{}, log: logCursor{total: -1}, note: noteNotWanted}
}

// add folds one sample in and forgets what is older than the baseline.
func (p *shapeProfile) add(at time.Time, ops []bson.Raw) {
	s := shapeSample{at: at, by: map[string]shapeStat{}, opids: map[string][]int64{}}
	for _, d := range ops {
		q := shapeOf(d)
		k := q.Key()
		p.shapes[k] = q
		st := s.by[k]
		st.n++
		st.longest = max(st.longest, num(d, "microsecs_running").V/1e6)
		s.by[k] = st
		if id := num(d, "opid"); id.OK {
			s.opids[k] = append(s.opids[k], int64(id.V))
		}
		s.total++
	}
	p.samples = append(p.samples, s)
	p.prune(at)
}

// addLog folds in the new slow-query lines of a getLog reply.
func (p *shapeProfile) addLog(at time.Time, reply bson.Raw) {
	p.logged = true
	for _, line := range p.log.newLines(reply) {
		if e, ok := parseLogLine(line); ok {
			e.at = at // the server's clock may differ from ours; we saw it now
			p.slow = append(p.slow, e)
			k := e.shape.Key()
			if _, known := p.shapes[k]; !known {
				p.shapes[k] = e.shape
			}
		}
	}
	p.logNote = ""
	if p.log.missed > 0 {
		p.logNote = fmt.Sprintf("slow-query log: %d lines missed between reads (the server keeps 1024)", p.log.missed)
	}
	p.prune(at)
}

func (p *shapeProfile) prune(now time.Time) {
	cut := now.Add(-p.window - p.baseline)
	i := 0
	for i < len(p.samples) && p.samples[i].at.Before(cut) {
		i++
	}
	p.samples = p.samples[i:]
	j := 0
	for j < len(p.slow) && p.slow[j].at.Before(cut) {
		j++
	}
	p.slow = p.slow[j:]
	if len(p.slow) > 4096 {
		p.slow = p.slow[len(p.slow)-4096:]
	}
	live := map[string]bool{}
	for _, s := range p.samples {
		for k := range s.by {
			live[k] = true
		}
	}
	for _, e := range p.slow {
		live[e.shape.Key()] = true
	}
	for k := range p.shapes {
		if !live[k] {
			delete(p.shapes, k)
		}
	}
}

// rankedShape is one row of the panel.
type rankedShape struct {
	q             queryShape
	share, before float64 // before < 0: no sample before
	ops           int
	longest       float64
	slowN         int
	slowMs        float64 // mean duration of its slow-query lines
	docsPerRet    float64 // docs examined per document returned, from the log; -1 unknown
}

// rank orders the shapes by their share of the sampled active time in the
// last window, with the same share over the baseline before it.
func (p *shapeProfile) rank(now time.Time) []rankedShape {
	from := now.Add(-p.window)
	var nowTotal, beforeTotal int
	type acc struct {
		n, before int
		longest   float64
		opids     map[int64]bool
	}
	accs := map[string]*acc{}
	get := func(k string) *acc {
		a := accs[k]
		if a == nil {
			a = &acc{opids: map[int64]bool{}}
			accs[k] = a
		}
		return a
	}
	for _, s := range p.samples {
		if s.at.Before(from) {
			beforeTotal += s.total
			for k, st := range s.by {
				get(k).before += st.n
			}
			continue
		}
		nowTotal += s.total
		for k, st := range s.by {
			a := get(k)
			a.n += st.n
			a.longest = max(a.longest, st.longest)
			for _, id := range s.opids[k] {
				a.opids[id] = true
			}
		}
	}
	var out []rankedShape
	for k, a := range accs {
		if a.n == 0 {
			continue
		}
		r := rankedShape{q: p.shapes[k], share: float64(a.n) / float64(nowTotal), before: -1, ops: len(a.opids), longest: a.longest, docsPerRet: -1}
		if r.ops == 0 {
			r.ops = a.n
		}
		if beforeTotal > 0 {
			r.before = float64(a.before) / float64(beforeTotal)
		}
		out = append(out, r)
	}
	p.addSlow(&out, from)
	sort.Slice(out, func(i, j int) bool {
		if out[i].share != out[j].share {
			return out[i].share > out[j].share
		}
		if out[i].slowN != out[j].slowN {
			return out[i].slowN > out[j].slowN
		}
		return out[i].q.Text() < out[j].q.Text()
	})
	return out
}

// addSlow adds the slow-query log's figures for the window to the ranked
// shapes.
func (p *shapeProfile) addSlow(rows *[]rankedShape, from time.Time) {
	type acc struct{ n, ms, docs, ret float64 }
	by := map[string]*acc{}
	for _, e := range p.slow {
		if e.at.Before(from) {
			continue
		}
		a := by[e.shape.Key()]
		if a == nil {
			a = &acc{}
			by[e.shape.Key()] = a
		}
		a.n++
		a.ms += e.millis
		a.docs += e.docsExamined
		a.ret += e.nret
	}
	seen := map[string]bool{}
	fill := func(r *rankedShape, a *acc) {
		r.slowN = int(a.n)
		r.slowMs = a.ms / a.n
		if a.ret > 0 {
			r.docsPerRet = a.docs / a.ret
		}
	}
	for i := range *rows {
		k := (*rows)[i].q.Key()
		seen[k] = true
		if a := by[k]; a != nil {
			fill(&(*rows)[i], a)
		}
	}
	// A shape only the log saw (it finished between samples) still
	// belongs in the panel, after the sampled ones.
	for k, a := range by {
		if !seen[k] {
			r := rankedShape{q: p.shapes[k], before: -1, docsPerRet: -1}
			fill(&r, a)
			*rows = append(*rows, r)
		}
	}
}

// table is the panel: the shapes by share, the highest first; a scanning
// shape at the top is marked.
func (p *shapeProfile) table(now time.Time) sources.Table {
	cols := []sources.Column{{Title: "shape", Kind: sources.Name}, {Title: "app", Kind: sources.Name},
		{Title: "share", Kind: sources.Percent}, {Title: "prev " + human.Duration(p.baseline), Kind: sources.Percent}, {Title: "ops", Kind: sources.Count},
		{Title: "longest", Kind: sources.Seconds}, {Title: "plan", Kind: sources.Label}}
	if p.logged {
		cols = append(cols, sources.Column{Title: "slow", Kind: sources.Count}, sources.Column{Title: "avg s", Kind: sources.Seconds},
			sources.Column{Title: "docs/ret", Kind: sources.Count})
	}
	t := sources.Table{Name: tableShapes, Columns: cols, Highlight: -1}
	rows := p.rank(now)
	orNone := func(v float64, ok bool) sources.Cell {
		if !ok {
			return sources.NoValue()
		}
		return sources.Num(v)
	}
	for _, r := range rows {
		plan := r.q.Plan
		if plan == "" {
			plan = "-"
		}
		row := sources.R(sources.Str(r.q.Text()), sources.Str(r.q.App), sources.Num(100*r.share),
			orNone(100*r.before, r.before >= 0), sources.Num(float64(r.ops)), orNone(r.longest, r.longest > 0), sources.Str(plan))
		if p.logged {
			row.Cells = append(row.Cells, sources.Num(float64(r.slowN)), orNone(r.slowMs/1000, r.slowN > 0),
				orNone(math.Round(r.docsPerRet), r.docsPerRet >= 0))
		}
		t.Rows = append(t.Rows, row)
		if len(t.Rows) == rowLimit {
			break
		}
	}
	if len(rows) > 0 && strings.HasPrefix(rows[0].q.Plan, "COLLSCAN") {
		t.Highlight = 0
	}
	var notes []string
	switch {
	case len(rows) == 0 && p.note != "":
		notes = append(notes, p.note)
	case len(rows) == 0:
		notes = append(notes, "no active operation sampled")
	default:
		notes = append(notes, fmt.Sprintf("share of sampled active time, last %s; prev %s: the %s before that",
			human.Duration(p.window), human.Duration(p.baseline), human.Duration(p.baseline)))
	}
	if p.logNote != "" {
		notes = append(notes, p.logNote)
	}
	t.Note = text.Clean(strings.Join(notes, "; "))
	return t
}

// top is the shapes as the verdict reads them, the largest share first.
func (p *shapeProfile) top(now time.Time) []sources.Shape {
	var out []sources.Shape
	for _, r := range p.rank(now) {
		k := r.q.Key()
		counts := make([]sources.ShapeCount, 0, len(p.samples))
		for _, s := range p.samples {
			counts = append(counts, sources.ShapeCount{At: s.at, N: s.by[k].n, Total: s.total})
		}
		out = append(out, sources.Shape{Text: text.Clean(r.q.Text()).String(), App: text.Clean(r.q.App).String(),
			Plan: text.Clean(r.q.Plan).String(), Collscan: strings.HasPrefix(r.q.Plan, "COLLSCAN"),
			Share: r.share, Before: r.before, Ops: r.ops, Longest: r.longest, Samples: counts})
		if len(out) == 3 {
			break
		}
	}
	return out
}

// planShapes is this poll's profiler steps: a sample of the active
// operations every ShapeInterval while wanted, and with it the new lines
// of the slow-query log where the server has a structured one (4.4+).
// Both go to the culprit member, under the culprit commands' deadline.
func (s *Source) planShapes(now time.Time, m *member, want bool) []step {
	c := s.cul
	if s.cfg.ShapeInterval <= 0 || now.Before(c.shapeJ.next) {
		return nil
	}
	if !want {
		c.shapes.note = noteNotWanted
		return nil
	}
	c.shapeJ.next = now.Add(s.cfg.ShapeInterval)
	steps := []step{{kind: stepShapes, cmd: shapesCommand(s.cfg.AppName)}}
	if structuredLog(m.version) && m.role != roleMongos && !c.shapes.logOff(now) {
		steps = append(steps, step{kind: stepLog, cmd: logCommand()})
	}
	return steps
}

// structuredLog reports whether a server version writes JSON log lines
// (4.4 and later). An unknown version is not assumed to.
func structuredLog(version string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 4 || major == 4 && minor >= 4
}

// logOff reports whether getLog is backed off after a refusal.
func (p *shapeProfile) logOff(now time.Time) bool { return now.Before(p.logRetry) }

// applyShapes folds a profiler reply in. A refused or missing command
// says so in the panel and is retried much later, like the other culprit
// commands.
func (s *Source) applyShapes(now time.Time, r stepResult) {
	p := s.cul.shapes
	if r.kind == stepLog {
		if r.err != nil {
			switch failureOf(r.err) {
			case failRefused:
				p.logNote, p.logRetry = "slow-query log: needs the getLog privilege (clusterMonitor)", now.Add(refusedRetry)
			case failMissing:
				p.logNote, p.logRetry = "slow-query log: not available on this server ("+s.serverName()+")", now.Add(missingRetry)
			default:
				p.logNote = "slow-query log: " + classify("getLog", r.err).Error()
			}
			return
		}
		p.addLog(r.at, r.reply)
		return
	}
	if j := &s.cul.shapeJ; r.err == nil {
		j.slow.observe(r.took, culpritMaxTime)
		j.next = laterOf(j.next, now.Add(j.slow.every(j.every)))
	}
	if r.err != nil {
		switch failureOf(r.err) {
		case failRefused:
			p.note = noteInprog
			s.cul.shapeJ.next = now.Add(refusedRetry)
		case failMissing:
			p.note = "not available on this server (" + s.serverName() + ")"
			s.cul.shapeJ.next = now.Add(missingRetry)
		default:
			p.note = classify("$currentOp", r.err).Error()
		}
		return
	}
	p.note = ""
	p.add(r.at, firstBatch(r.reply))
}
