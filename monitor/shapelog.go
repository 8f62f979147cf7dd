package monitor

import (
	"slices"
	"time"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/verdict"
)

// shapeLog is the engine's memory of one database source's query-shape
// samples. A source reports only the shapes busy in its own recent window
// and forgets samples older than its window and baseline, but the verdict
// must name the shape behind a work figure that lags behind now, and give
// its share over the whole baseline before an onset that may be long
// past: so the engine merges each poll's per-sample counts here and keeps
// what those two stretches need.
type shapeLog struct {
	shapes  []verdict.Shape  // Text, App, Collscan; index = id
	keys    []string         // the shape's identity, index = id
	ids     map[string]int   // key -> id
	samples []shapeLogSample // by time, oldest first
}

type shapeLogSample struct {
	at    time.Time
	total int
	n     map[int]int // shape id -> active operations of that shape
}

// add merges one poll's shapes: a sample seen before keeps the counts of
// shapes this poll no longer reports.
func (l *shapeLog) add(shs []sources.Shape) {
	if l.ids == nil {
		l.ids = map[string]int{}
	}
	for _, sh := range shs {
		key := sh.Text + "\x00" + sh.App + "\x00" + sh.Plan
		id, ok := l.ids[key]
		if !ok {
			id = len(l.shapes)
			l.ids[key] = id
			l.keys = append(l.keys, key)
			l.shapes = append(l.shapes, verdict.Shape{Text: sh.Text, App: sh.App, Collscan: sh.Collscan})
		}
		for _, c := range sh.Samples {
			i, found := slices.BinarySearchFunc(l.samples, c.At, func(s shapeLogSample, t time.Time) int { return s.at.Compare(t) })
			if !found {
				l.samples = slices.Insert(l.samples, i, shapeLogSample{at: c.At, n: map[int]int{}})
			}
			s := &l.samples[i]
			s.total = c.Total
			if c.N > 0 {
				s.n[id] = c.N
			}
		}
	}
}

// prune forgets the samples outside [baseFrom, baseTo) (the baseline
// before an onset) and before recentFrom. Shapes
// left without a sample are forgotten too.
func (l *shapeLog) prune(baseFrom, baseTo, recentFrom time.Time) {
	l.samples = slices.DeleteFunc(l.samples, func(s shapeLogSample) bool {
		inBase := !s.at.Before(baseFrom) && s.at.Before(baseTo)
		return !inBase && s.at.Before(recentFrom)
	})
	live := map[int]bool{}
	for _, s := range l.samples {
		for id := range s.n {
			live[id] = true
		}
	}
	if len(live) == len(l.shapes) {
		return
	}
	old, oldKeys := l.shapes, l.keys
	l.shapes, l.keys, l.ids = nil, nil, map[string]int{}
	remap := map[int]int{}
	for id, sh := range old {
		if live[id] {
			remap[id] = len(l.shapes)
			l.ids[oldKeys[id]] = len(l.shapes)
			l.keys = append(l.keys, oldKeys[id])
			l.shapes = append(l.shapes, sh)
		}
	}
	for i := range l.samples {
		n := map[int]int{}
		for id, c := range l.samples[i].n {
			n[remap[id]] = c
		}
		l.samples[i].n = n
	}
}

// counts is every shape with its count in each kept sample, oldest first.
func (l *shapeLog) counts() []verdict.Shape {
	out := make([]verdict.Shape, len(l.shapes))
	for id, sh := range l.shapes {
		sh.Counts = make([]verdict.Count, len(l.samples))
		for i, s := range l.samples {
			sh.Counts[i] = verdict.Count{At: s.at, N: s.n[id], Total: s.total}
		}
		out[id] = sh
	}
	return out
}
