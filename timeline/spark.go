package timeline

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
)

const sparkWidth = 40

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// writeSeries draws each alerted series around its incident: the time the
// alert was open plus a quarter of that (at least five minutes) each side,
// cut to the points the engine still holds.
func writeSeries(b *strings.Builder, s *monitor.Snapshot, eps []*episode, events []monitor.Event, now time.Time) {
	var keys []string
	byKey := map[string][]*episode{}
	for _, e := range eps {
		if e.Key == "" {
			continue
		}
		if _, ok := byKey[e.Key]; !ok {
			keys = append(keys, e.Key)
		}
		byKey[e.Key] = append(byKey[e.Key], e)
	}
	if len(keys) == 0 {
		return
	}
	if len(s.Series) == 0 {
		// A timeline file read back: it holds events, not samples.
		b.WriteString("\n## Series\n\nNot in a timeline file, which keeps events only: export with e in the dashboard, or record the run (--record) and replay it.\n")
		return
	}
	var marks []time.Time
	for _, ev := range events {
		if ev.Kind == monitor.EventMark {
			marks = append(marks, ev.At)
		}
	}
	b.WriteString("\n## Series\n\nEach column is the maximum of its slice of time; F fired, R resolved, M mark, a blank is missing data.\n\n```text\n")
	for i, key := range keys {
		if i > 0 {
			b.WriteString("\n")
		}
		writeSpark(b, key, s.Series, byKey[key], marks, now)
	}
	b.WriteString("```\n")
}

func writeSpark(b *strings.Builder, key string, all map[string]series.View, eps []*episode, marks []time.Time, now time.Time) {
	start, end := eps[0].start, time.Time{}
	for _, e := range eps {
		t := e.end
		if t.IsZero() {
			t = now
		}
		if t.After(end) {
			end = t
		}
	}
	pad := max(end.Sub(start)/4, 5*time.Minute)
	from, to := start.Add(-pad).UnixMilli(), end.Add(pad).UnixMilli()
	if !now.IsZero() {
		to = min(to, now.UnixMilli()+1)
	}
	v, ok := all[key]
	var pts []series.Point
	if ok {
		v.Each(from, to, func(p series.Point) bool { pts = append(pts, p); return true })
	}
	if len(pts) == 0 {
		fmt.Fprintf(b, "%s: no points kept for this window\n", sanitize(key))
		return
	}
	from, to = pts[0].T, pts[len(pts)-1].T+1
	cols := series.Columns(v, from, to, sparkWidth, 2*series.Spacing(pts))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cols {
		if !math.IsNaN(c) {
			lo, hi = math.Min(lo, c), math.Max(hi, c)
		}
	}
	fmt.Fprintf(b, "%s  %s–%s UTC  min %s  max %s\n", sanitize(key),
		time.UnixMilli(from).UTC().Format(time.TimeOnly), time.UnixMilli(to-1).UTC().Format(time.TimeOnly), number(lo), number(hi))
	line := make([]rune, len(cols))
	for i, c := range cols {
		switch {
		case math.IsNaN(c):
			line[i] = ' '
		case hi == lo:
			line[i] = sparkRunes[0]
		default:
			line[i] = sparkRunes[int(math.Round((c-lo)/(hi-lo)*float64(len(sparkRunes)-1)))]
		}
	}
	b.WriteString(string(line) + "\n")
	under := []rune(strings.Repeat(" ", len(cols)))
	col := func(t time.Time) int {
		ms := t.UnixMilli()
		if ms < from || ms >= to {
			return -1
		}
		return int(float64(ms-from) / float64(to-from) * float64(len(cols)))
	}
	for _, m := range marks {
		if i := col(m); i >= 0 {
			under[i] = 'M'
		}
	}
	for _, e := range eps {
		if i := col(e.fired); i >= 0 {
			under[i] = 'F'
		}
		if i := col(e.end); !e.end.IsZero() && i >= 0 {
			under[i] = 'R'
		}
	}
	b.WriteString(strings.TrimRight(string(under), " ") + "\n")
}

// sanitize keeps a name on its line inside the code block.
func sanitize(s string) string { return strings.ReplaceAll(oneLine(s), "`", "'") }
