package timeline

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/verdict"
)

// writeWhatHappened opens the document with a paragraph drafted from the
// engine's verdicts: what it judged, when that changed, what people marked
// while it stood, and when the alerts resolved. It writes nothing when the
// timeline holds no verdict (an incident stormwatch could not judge gets
// no invented story).
func writeWhatHappened(b *strings.Builder, events []monitor.Event, clock string) {
	type sentence struct {
		at   time.Time
		text string
	}
	var sentences []sentence
	say := func(at time.Time, format string, args ...any) {
		sentences = append(sentences, sentence{at, fmt.Sprintf(format, args...)})
	}
	judged := false
	inAlarm := map[string]bool{}
	for _, ev := range events {
		at := ev.At.UTC().Format(clock)
		text := strings.TrimSuffix(oneLine(sources.Redact(ev.Text)), ".")
		switch {
		case ev.Kind == monitor.EventVerdict && !judged:
			judged = true
			say(ev.At, "At %s stormwatch judged: %s.", at, text)
		case ev.Kind == monitor.EventVerdict && ev.State == string(verdict.None):
			say(ev.At, "At %s it no longer saw a clear cause: %s.", at, text)
		case ev.Kind == monitor.EventVerdict:
			say(ev.At, "At %s that changed to: %s.", at, text)
		case judged && (ev.Kind == monitor.EventMark || ev.Kind == monitor.EventNote):
			who := ""
			if ev.Who != "" {
				who = " (" + oneLine(sources.Redact(ev.Who)) + ")"
			}
			say(ev.At, "At %s: %s%s.", at, text, who)
		case judged && ev.Kind == monitor.EventAlarm:
			name := oneLine(sources.Redact(ev.Subject))
			switch {
			case ev.State == "ALARM" && !inAlarm[ev.Subject]:
				inAlarm[ev.Subject] = true
				say(ev.At, "At %s the external alarm %s went to ALARM.", at, name)
			case ev.State != "ALARM" && inAlarm[ev.Subject]:
				delete(inAlarm, ev.Subject)
				say(ev.At, "At %s %s left ALARM (%s).", at, name, oneLine(sources.Redact(ev.State)))
			}
		}
	}
	if !judged {
		return
	}
	if last, ok := lastResolved(events); ok {
		say(last, "The alerts had resolved by %s.", last.UTC().Format(clock))
	}
	sort.SliceStable(sentences, func(i, j int) bool { return sentences[i].at.Before(sentences[j].at) })
	b.WriteString("\n## What happened\n\n_Drafted by stormwatch from its verdicts; check it before sharing._\n\n")
	for i, s := range sentences {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(s.text)
	}
	b.WriteString("\n")
}

// lastResolved is the time of the last RESOLVED when no alert is left
// pending or firing at the end of the timeline.
func lastResolved(events []monitor.Event) (last time.Time, ok bool) {
	open := map[string]bool{}
	for _, ev := range events {
		if ev.Kind != monitor.EventAlert {
			continue
		}
		switch alert.State(ev.State) {
		case alert.Pending, alert.Firing:
			open[ev.Subject] = true
		case alert.Resolved, alert.OK:
			if open[ev.Subject] {
				delete(open, ev.Subject)
				last, ok = ev.At, true
			}
		}
	}
	return last, ok && len(open) == 0
}
