package timeline

import (
	"fmt"
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
	var sentences []string
	judged := false
	for _, ev := range events {
		at := ev.At.UTC().Format(clock)
		text := strings.TrimSuffix(oneLine(sources.Redact(ev.Text)), ".")
		switch {
		case ev.Kind == monitor.EventVerdict && !judged:
			judged = true
			sentences = append(sentences, fmt.Sprintf("At %s stormwatch judged: %s.", at, text))
		case ev.Kind == monitor.EventVerdict && ev.State == string(verdict.None):
			sentences = append(sentences, fmt.Sprintf("At %s it no longer saw a clear cause: %s.", at, text))
		case ev.Kind == monitor.EventVerdict:
			sentences = append(sentences, fmt.Sprintf("At %s that changed to: %s.", at, text))
		case judged && (ev.Kind == monitor.EventMark || ev.Kind == monitor.EventNote):
			who := ""
			if ev.Who != "" {
				who = " (" + oneLine(sources.Redact(ev.Who)) + ")"
			}
			sentences = append(sentences, fmt.Sprintf("At %s: %s%s.", at, text, who))
		}
	}
	if !judged {
		return
	}
	if last, ok := lastResolved(events); ok {
		sentences = append(sentences, fmt.Sprintf("The alerts had resolved by %s.", last.UTC().Format(clock)))
	}
	b.WriteString("\n## What happened\n\n_Drafted by stormwatch from its verdicts; check it before sharing._\n\n")
	b.WriteString(strings.Join(sentences, " "))
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
